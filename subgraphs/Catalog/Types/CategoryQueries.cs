using Catalog.Data;
using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Catalog.Types;

public sealed class CategoryQueries : IQueryFields
{
    /// <summary>Categories are a short list curated by hand (the seed has 12); demand control assumes this many.</summary>
    public const int CategoryListSize = 50;

    public void AddFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<CategoryType>>>>("categories")
            .Description("All categories, by name.")
            .ListSize(assumedSize: CategoryListSize)
            .ResolveAsync(async ctx =>
            {
                await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<CatalogDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
                return await db.Categories.AsNoTracking().OrderBy(c => c.Name).ToListAsync(ctx.CancellationToken);
            });

        query.Field<CategoryType>("category")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<CategoryByIdDataLoader>().Load(Ids.Parse(ctx.GetArgument<string>("id"), "id")));
    }
}
