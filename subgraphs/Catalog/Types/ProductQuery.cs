using GraphQL.Types;

namespace Catalog.Types;

public enum ProductOrderField
{
    Id,
    Name,
    Price,
    CreatedAt,
    Rating,
}

public enum OrderDirection
{
    Asc,
    Desc,
}

public sealed record ProductOrder(ProductOrderField Field = ProductOrderField.Id, OrderDirection Direction = OrderDirection.Asc);

public sealed record ProductFilter(
    int? CategoryId = null,
    double? MinPrice = null,
    double? MaxPrice = null,
    string? Search = null,
    bool? InStock = null,
    double? MinRating = null,
    int? MinReviewCount = null);

public sealed class ProductOrderFieldType : EnumerationGraphType<ProductOrderField>
{
    public ProductOrderFieldType() => Name = "ProductOrderField";
}

public sealed class OrderDirectionType : EnumerationGraphType<OrderDirection>
{
    public OrderDirectionType() => Name = "OrderDirection";
}

public sealed class ProductOrderInputType : InputObjectGraphType<ProductOrder>
{
    public ProductOrderInputType()
    {
        Name = "ProductOrder";
        Description = "Sort order; ties are broken by id in the same direction, so pages are stable.";
        Field<NonNullGraphType<ProductOrderFieldType>>("field").DefaultValue(ProductOrderField.Id);
        Field<NonNullGraphType<OrderDirectionType>>("direction").DefaultValue(OrderDirection.Asc);
    }
}

public sealed class ProductFilterInputType : InputObjectGraphType<ProductFilter>
{
    public ProductFilterInputType()
    {
        Name = "ProductFilter";
        Field<IdGraphType>("categoryId");
        Field<FloatGraphType>("minPrice");
        Field<FloatGraphType>("maxPrice");
        Field<StringGraphType>("search").Description("Case-insensitive text in the name or description.");
        Field<BooleanGraphType>("inStock");
        Field<FloatGraphType>("minRating");
        Field<IntGraphType>("minReviewCount").Description("Only products with at least this many reviews, 0 to 1000000 (e.g. to rank by rating without products one review decides).");
    }
}
