using System.Globalization;
using System.Linq.Expressions;
using Catalog.Data;
using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Types;

public sealed class ProductQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionType<ProductType, Product>>>("products")
            .Description("Products, a page at a time (keyset pagination: pass pageInfo.endCursor as 'after').")
            .PagingArguments()
            .Argument<ProductFilterInputType>("filter")
            .Argument<ProductOrderInputType>("orderBy")

            // A page changes when products are created or reordered, which no entity invalidation covers.
            .CacheControl(maxAge: 30)
            .ResolveAsync(async ctx => await ProductsAsync(ctx));

        query.Field<ProductType>("product")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<ProductByIdDataLoader>().Load(Ids.Parse(ctx.GetArgument<string>("id"), "id")));
    }

    private const int MaxMinReviewCount = 1_000_000;

    private static async Task<Connection<Product>> ProductsAsync(IResolveFieldContext ctx)
    {
        var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
        var after = ctx.GetArgument<string?>("after");
        if (after is not null)
            Cursor.Decode(after);
        var filter = ctx.GetArgument<ProductFilter?>("filter") ?? new ProductFilter();
        if (filter.MinReviewCount is < 0 or > MaxMinReviewCount)
            throw new ExecutionError($"'minReviewCount' must be between 0 and {MaxMinReviewCount}.") { Code = "BAD_USER_INPUT" };
        var order = ctx.GetArgument<ProductOrder?>("orderBy") ?? new ProductOrder();
        var factory = ctx.RequestServices!.GetRequiredService<IDbContextFactory<CatalogDbContext>>();

        var columns = Selection.FieldsAt(ctx, "edges", "node")
            .Concat(Selection.FieldsAt(ctx, "nodes"))
            .SelectMany(field => ProductType.Columns.GetValueOrDefault(field, []))
            .Append(nameof(Product.Id))
            .Append(SortColumn(order.Field));
        var wantsEdges = Selection.FieldsAt(ctx).Overlaps(["edges", "nodes", "pageInfo"]);

        var rows = new List<Product>();
        if (wantsEdges && first > 0)
        {
            await using var db = await factory.CreateDbContextAsync(ctx.CancellationToken);
            var page = Order(Seek(Filter(db.Products.AsNoTracking(), filter), order, after), order);
            rows = await page.Select(Selection.Projection<Product>(columns)).Take(first + 1).ToListAsync(ctx.CancellationToken);
        }

        var hasNext = rows.Count > first;
        var edges = rows.Take(first).Select(p => new Edge<Product>(CursorOf(p, order.Field), p)).ToList();
        return new Connection<Product>(edges, hasNext, after is not null, async cancellationToken =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await Filter(db.Products, filter).CountAsync(cancellationToken);
        });
    }

    private static IQueryable<Product> Filter(IQueryable<Product> products, ProductFilter filter)
    {
        if (filter.CategoryId is { } categoryId)
            products = products.Where(p => p.CategoryId == categoryId);
        if (filter.MinPrice is { } minPrice)
            products = products.Where(p => p.Price >= (decimal)minPrice);
        if (filter.MaxPrice is { } maxPrice)
            products = products.Where(p => p.Price <= (decimal)maxPrice);
        if (filter.InStock is { } inStock)
            products = products.Where(p => p.InStock == inStock);
        if (filter.MinRating is { } minRating)
            products = products.Where(p => p.ReviewCount > 0 && p.RatingAverage >= (decimal)minRating);
        if (filter.MinReviewCount is { } minReviewCount)
            products = products.Where(p => p.ReviewCount >= minReviewCount);
        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var pattern = "%" + EscapeLike(filter.Search.Trim()) + "%";
            products = products.Where(p => EF.Functions.ILike(p.Name, pattern, "\\") || EF.Functions.ILike(p.Description, pattern, "\\"));
        }
        return products;
    }

    private static IQueryable<Product> Order(IQueryable<Product> products, ProductOrder order) => (order.Field, order.Direction) switch
    {
        (ProductOrderField.Id, OrderDirection.Asc) => products.OrderBy(p => p.Id),
        (ProductOrderField.Id, _) => products.OrderByDescending(p => p.Id),
        (ProductOrderField.Name, OrderDirection.Asc) => products.OrderBy(p => p.Name).ThenBy(p => p.Id),
        (ProductOrderField.Name, _) => products.OrderByDescending(p => p.Name).ThenByDescending(p => p.Id),
        (ProductOrderField.Price, OrderDirection.Asc) => products.OrderBy(p => p.Price).ThenBy(p => p.Id),
        (ProductOrderField.Price, _) => products.OrderByDescending(p => p.Price).ThenByDescending(p => p.Id),
        (ProductOrderField.CreatedAt, OrderDirection.Asc) => products.OrderBy(p => p.CreatedAt).ThenBy(p => p.Id),
        (ProductOrderField.CreatedAt, _) => products.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id),
        (ProductOrderField.Rating, OrderDirection.Asc) => products.OrderBy(p => p.RatingAverage).ThenBy(p => p.Id),
        (ProductOrderField.Rating, _) => products.OrderByDescending(p => p.RatingAverage).ThenByDescending(p => p.Id),
        _ => throw new ArgumentOutOfRangeException(nameof(order)),
    };

    /// <summary>
    /// Rows strictly after the cursor in sort order, as a row-value comparison
    /// <c>(sort_key, id) &gt; (@value, @id)</c> that PostgreSQL answers from the (sort_key, id) index.
    /// </summary>
    private static IQueryable<Product> Seek(IQueryable<Product> products, ProductOrder order, string? after)
    {
        if (after is null)
            return products;
        var (value, id) = Cursor.Decode(after);
        var forward = order.Direction == OrderDirection.Asc;
        try
        {
            return order.Field switch
            {
                ProductOrderField.Id => forward ? products.Where(p => p.Id > id) : products.Where(p => p.Id < id),
                ProductOrderField.Name => SeekBy(products, p => p.Name, value, (int)id, forward),
                ProductOrderField.Price => SeekBy(products, p => p.Price, decimal.Parse(value, CultureInfo.InvariantCulture), (int)id, forward),
                ProductOrderField.CreatedAt => SeekBy(products, p => p.CreatedAt, DateTimeOffset.Parse(value, CultureInfo.InvariantCulture), (int)id, forward),
                ProductOrderField.Rating => SeekBy(products, p => p.RatingAverage, decimal.Parse(value, CultureInfo.InvariantCulture), (int)id, forward),
                _ => throw new ArgumentOutOfRangeException(nameof(order)),
            };
        }
        catch (Exception ex) when (ex is FormatException or OverflowException)
        {
            throw new ExecutionError("The 'after' cursor does not belong to this sort order. Pass an endCursor from a page with the same orderBy.") { Code = "BAD_CURSOR" };
        }
    }

    private static IQueryable<Product> SeekBy<TKey>(IQueryable<Product> products, Expression<Func<Product, TKey>> key, TKey value, int id, bool forward)
    {
        var p = key.Parameters[0];
        var left = Expression.Call(typeof(ValueTuple), nameof(ValueTuple.Create), [typeof(TKey), typeof(int)], key.Body, Expression.Property(p, nameof(Product.Id)));
        var right = Expression.Call(typeof(ValueTuple), nameof(ValueTuple.Create), [typeof(TKey), typeof(int)],
            Parameter(value), Parameter(id));
        var compare = typeof(NpgsqlDbFunctionsExtensions).GetMethod(
            forward ? nameof(NpgsqlDbFunctionsExtensions.GreaterThan) : nameof(NpgsqlDbFunctionsExtensions.LessThan),
            [typeof(DbFunctions), typeof(System.Runtime.CompilerServices.ITuple), typeof(System.Runtime.CompilerServices.ITuple)])!;
        var body = Expression.Call(compare,
            Expression.Property(null, typeof(EF), nameof(EF.Functions)),
            Expression.Convert(left, typeof(System.Runtime.CompilerServices.ITuple)),
            Expression.Convert(right, typeof(System.Runtime.CompilerServices.ITuple)));
        return products.Where(Expression.Lambda<Func<Product, bool>>(body, p));
    }

    // A closure member access, so EF Core sends the value as a parameter instead of inlining a literal.
    private static Expression Parameter<T>(T value) => ((Expression<Func<T>>)(() => value)).Body;

    private static string SortColumn(ProductOrderField field) => field switch
    {
        ProductOrderField.Name => nameof(Product.Name),
        ProductOrderField.Price => nameof(Product.Price),
        ProductOrderField.CreatedAt => nameof(Product.CreatedAt),
        ProductOrderField.Rating => nameof(Product.RatingAverage),
        _ => nameof(Product.Id),
    };

    private static string CursorOf(Product product, ProductOrderField field) => field switch
    {
        ProductOrderField.Name => Cursor.Encode(product.Name, product.Id),
        ProductOrderField.Price => Cursor.Encode(product.Price.ToString(CultureInfo.InvariantCulture), product.Id),
        ProductOrderField.CreatedAt => Cursor.Encode(product.CreatedAt.ToString("O", CultureInfo.InvariantCulture), product.Id),
        ProductOrderField.Rating => Cursor.Encode(product.RatingAverage.ToString(CultureInfo.InvariantCulture), product.Id),
        _ => Cursor.Encode(product.Id.ToString(CultureInfo.InvariantCulture), product.Id),
    };

    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
}
