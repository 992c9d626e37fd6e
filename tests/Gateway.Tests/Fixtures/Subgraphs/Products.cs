using GraphQL;
using GraphQL.Federation;
using GraphQL.Types;

namespace Federation.Gateway.Tests.Fixtures.Subgraphs;

public sealed record Product(string Upc, string Name, int Price, int Weight, string CategoryId);

public sealed record Category(string Id, string Name);

public sealed class ProductKey
{
    public string Upc { get; set; } = string.Empty;
}

public static class ProductsData
{
    public static readonly Category[] Categories = [new("c1", "Furniture"), new("c2", "Kitchen")];

    private static readonly List<Product> Products =
    [
        new("1", "Table", 899, 100, "c1"),
        new("2", "Couch", 1299, 1000, "c1"),
        new("3", "Chair", 54, 50, "c1"),
        new("4", "Kettle", 35, 2, "c2"),
    ];

    private static readonly Lock Sync = new();

    /// <summary>Test classes run in parallel and one of them adds products: readers take a snapshot.</summary>
    public static Product[] All()
    {
        lock (Sync)
        {
            return [.. Products];
        }
    }

    public static Product Add(string name, int price)
    {
        lock (Sync)
        {
            var product = new Product((Products.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), name, price, 1, "c2");
            Products.Add(product);
            return product;
        }
    }
}

public sealed class ProductsProductType : ObjectGraphType<Product>
{
    public ProductsProductType()
    {
        Name = "Product";
        this.Key("upc");
        Field<NonNullGraphType<StringGraphType>>("upc").Resolve(c => c.Source.Upc);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
        Field<NonNullGraphType<IntGraphType>>("price").Resolve(c => c.Source.Price);
        Field<NonNullGraphType<IntGraphType>>("weight").Resolve(c => c.Source.Weight);
        Field<CategoryType>("category").Resolve(c => ProductsData.Categories.FirstOrDefault(x => x.Id == c.Source.CategoryId));
        Field<StringGraphType>("internalCode").Resolve(c => "SKU-" + c.Source.Upc).Inaccessible();
        this.ResolveReference<ProductKey, Product>((_, key) => ProductsData.All().FirstOrDefault(p => p.Upc == key.Upc));
    }
}

public sealed class CategoryType : ObjectGraphType<Category>
{
    public CategoryType()
    {
        Name = "Category";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<StringGraphType>>("name").Resolve(c => c.Source.Name);
    }
}

public sealed class SearchResultType : UnionGraphType
{
    public SearchResultType()
    {
        Name = "SearchResult";
        Type<ProductsProductType>();
        Type<CategoryType>();
        ResolveType = value => value switch
        {
            Product => new GraphQLTypeReference("Product"),
            Category => new GraphQLTypeReference("Category"),
            _ => null,
        };
    }
}

public sealed class ProductsQuery : ObjectGraphType
{
    public ProductsQuery()
    {
        Name = "Query";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<ProductsProductType>>>>("topProducts")
            .Argument<IntGraphType>("first", a => a.DefaultValue = 5)
            .Resolve(c => ProductsData.All().Take(c.GetArgument<int>("first")).ToList());
        Field<ProductsProductType>("product")
            .Argument<NonNullGraphType<StringGraphType>>("upc")
            .Resolve(c => ProductsData.All().FirstOrDefault(p => p.Upc == c.GetArgument<string>("upc")));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<SearchResultType>>>>("search")
            .Argument<NonNullGraphType<StringGraphType>>("term")
            .Resolve(c =>
            {
                var term = c.GetArgument<string>("term");
                return ProductsData.All().Where(p => p.Name.Contains(term, StringComparison.OrdinalIgnoreCase)).Cast<object>()
                    .Concat(ProductsData.Categories.Where(x => x.Name.Contains(term, StringComparison.OrdinalIgnoreCase)))
                    .ToList();
            });
    }
}

public sealed class ProductsMutation : ObjectGraphType
{
    public ProductsMutation()
    {
        Name = "Mutation";
        Field<NonNullGraphType<ProductsProductType>>("addProduct")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<IntGraphType>>("price")
            .Resolve(c => ProductsData.Add(c.GetArgument<string>("name"), c.GetArgument<int>("price")));
    }
}

public sealed class ProductsSchema : GraphQL.Types.Schema
{
    public ProductsSchema(IServiceProvider services)
        : base(services)
    {
        Query = new ProductsQuery();
        Mutation = new ProductsMutation();
    }
}
