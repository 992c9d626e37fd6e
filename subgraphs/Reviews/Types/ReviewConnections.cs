using System.Globalization;
using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Reviews.Data;

namespace Reviews.Types;

/// <summary>The <c>reviews</c> connection of Product and User: keyset pages, newest first, batched across owners.</summary>
public static class ReviewConnections
{
    public static void AddField<TSource>(ObjectGraphType<TSource> type, string description, ReviewOwner owner, Func<TSource, int> ownerId)
    {
        type.Field<NonNullGraphType<ConnectionType<ReviewType, Review>>>("reviews")
            .Description(description + " Keyset pagination: pass pageInfo.endCursor as 'after'.")
            .Argument<IntGraphType>("first", $"Page size, 0 to {Paging.MaxPageSize}; default {Paging.DefaultPageSize}.")
            .Argument<StringGraphType>("after")
            .Resolve(ctx => Resolve(ctx, owner, ownerId(ctx.Source)));
    }

    private static IDataLoaderResult<Connection<Review>> Resolve(IResolveFieldContext ctx, ReviewOwner owner, int ownerId)
    {
        var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
        var after = ctx.GetArgument<string?>("after");
        var (afterCreatedAt, afterId) = after is null ? (null, 0) : DecodeCursor(after);
        var services = ctx.RequestServices!;
        // Registered now, alongside every sibling owner, so totalCount is one grouped query for the batch.
        var count = Selection.FieldsAt(ctx).Contains("totalCount") ? services.GetRequiredService<ReviewCountDataLoader>().Load((owner, ownerId)) : null;
        Func<Task<int>> countAsync = async () => count is null ? 0 : await count.GetResultAsync(ctx.CancellationToken);

        var page = first == 0
            ? new CompletedDataLoaderResult<IReadOnlyList<Review>?>([])
            : services.GetRequiredService<ReviewPageDataLoader>().Load(new ReviewPage(owner, ownerId, first + 1, afterCreatedAt, afterId));
        return page.Map(rows =>
        {
            rows ??= [];
            var edges = rows.Take(first).Select(r => new Edge<Review>(CursorOf(r), r)).ToList();
            return new Connection<Review>(edges, rows.Count > first, after is not null, countAsync);
        });
    }

    public static string CursorOf(Review review) =>
        Cursor.Encode(review.CreatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), review.Id);

    private static (DateTimeOffset?, int) DecodeCursor(string after)
    {
        var (value, id) = Cursor.Decode(after);
        if (DateTimeOffset.TryParseExact(value, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var createdAt) && id is > 0 and <= int.MaxValue)
            return (createdAt.ToUniversalTime(), (int)id);
        throw new ExecutionError("The 'after' cursor is not valid. Pass an endCursor from a previous page.") { Code = "BAD_CURSOR" };
    }
}
