using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Reviews.Data;

namespace Reviews.Types;

public sealed class ReviewOrderType : EnumerationGraphType<ReviewOrder>
{
    public ReviewOrderType()
    {
        Name = "ReviewOrder";
        Description = "How reviews are sorted; rating sorts list equal ratings newest first.";
    }
}

/// <summary>The <c>reviews</c> connection of Product and User: keyset pages, newest first or by rating, batched across owners.</summary>
public static class ReviewConnections
{
    public static void AddField<TOwnerType>(EntityReferenceType<TOwnerType> type, string description, ReviewOwner owner)
        where TOwnerType : EntityReferenceType<TOwnerType>
    {
        type.Field<ConnectionType<ReviewType, Review>>("reviews")
            .Description(description + " Keyset pagination: pass pageInfo.endCursor as 'after' with the same orderBy.")
            .PagingArguments()
            .Argument<NonNullGraphType<ReviewOrderType>>("orderBy", "Sort order; default NEWEST.", arg => arg.DefaultValue = ReviewOrder.Newest)
            .Resolve(ctx =>
            {
                var services = ctx.RequestServices!;
                var ownerId = ctx.Source.Id;
                var order = ctx.GetArgument("orderBy", ReviewOrder.Newest);
                Func<IDataLoaderResult<int>> count = () => services.GetRequiredService<ReviewCountDataLoader>().Load((owner, ownerId));
                return order == ReviewOrder.Newest
                    ? KeysetConnection.Resolve(ctx, services.GetRequiredService<ReviewPageDataLoader>(), owner, ownerId, count)
                    : RatedPage(ctx, services.GetRequiredService<RatedReviewPageDataLoader>(), owner, order, ownerId, count);
            });
    }

    private static IDataLoaderResult<Connection<Review>> RatedPage(IResolveFieldContext ctx, RatedReviewPageDataLoader pages, ReviewOwner owner,
        ReviewOrder order, int ownerId, Func<IDataLoaderResult<int>> totalCount)
    {
        var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
        var after = ctx.GetArgument<string?>("after");
        var position = after is null ? (RatedPosition?)null : RatedPosition.Parse(order, after);
        var count = Selection.FieldsAt(ctx).Contains("totalCount") ? totalCount() : null;
        Func<CancellationToken, Task<int>> countAsync = async cancellationToken => count is null ? 0 : await count.GetResultAsync(cancellationToken);
        var page = first == 0
            ? new CompletedDataLoaderResult<IReadOnlyList<Review>?>([])
            : pages.Load(new RatedReviewPage(owner, order, ownerId, first + 1, position));
        return page.Map(rows =>
        {
            rows ??= [];
            var edges = rows.Take(first).Select(r => new Edge<Review>(RatedPosition.Of(order, r).ToCursor(), r)).ToList();
            return new Connection<Review>(edges, rows.Count > first, after is not null, countAsync);
        });
    }
}
