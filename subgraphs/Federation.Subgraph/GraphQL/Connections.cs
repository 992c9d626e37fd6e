using System.Text;
using GraphQL;
using GraphQL.Federation;
using GraphQL.Builders;
using GraphQL.Types;

namespace Federation.Subgraph.GraphQL;

public sealed record Edge<T>(string Cursor, T Node);

public sealed record PageInfo(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

/// <summary>
/// A Relay connection page; <see cref="CountAsync"/> runs only when totalCount is selected, with the totalCount
/// field's cancellation token. The count must not capture the resolve context of the field that built the page:
/// graphql-dotnet resets and reuses that context once the field completes, so reading it later (its
/// CancellationToken, say) fails at random under load.
/// </summary>
public sealed class Connection<T>(IReadOnlyList<Edge<T>> edges, bool hasNextPage, bool hasPreviousPage, Func<CancellationToken, Task<int>> countAsync)
{
    public IReadOnlyList<Edge<T>> Edges { get; } = edges;
    public IEnumerable<T> Nodes => Edges.Select(e => e.Node);
    public PageInfo PageInfo { get; } = new(hasNextPage, hasPreviousPage, edges.Count > 0 ? edges[0].Cursor : null, edges.Count > 0 ? edges[^1].Cursor : null);
    public Func<CancellationToken, Task<int>> CountAsync { get; } = countAsync;
}

public sealed class PageInfoType : ObjectGraphType<PageInfo>
{
    public PageInfoType()
    {
        Name = "PageInfo";
        this.Shareable();
        this.CacheControl(inheritMaxAge: true);
        Field(p => p.HasNextPage);
        Field(p => p.HasPreviousPage);
        Field(p => p.StartCursor, nullable: true);
        Field(p => p.EndCursor, nullable: true);
    }
}

public class EdgeType<TNodeType, TNode> : ObjectGraphType<Edge<TNode>> where TNodeType : IGraphType
{
    public EdgeType()
    {
        Name = $"{typeof(TNodeType).Name.Replace("Type", string.Empty)}Edge";

        // A page is as fresh as the field that returned it: the nodes' own types still restrict it.
        this.CacheControl(inheritMaxAge: true);
        Field(e => e.Cursor);
        Field<NonNullGraphType<TNodeType>>("node").Resolve(ctx => ctx.Source.Node);
    }
}

public class ConnectionType<TNodeType, TNode> : ObjectGraphType<Connection<TNode>> where TNodeType : IGraphType
{
    public const int TotalCountWeight = 5;

    public ConnectionType()
    {
        Name = $"{typeof(TNodeType).Name.Replace("Type", string.Empty)}Connection";
        this.CacheControl(inheritMaxAge: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<EdgeType<TNodeType, TNode>>>>>("edges").Resolve(ctx => ctx.Source.Edges);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TNodeType>>>>("nodes").Resolve(ctx => ctx.Source.Nodes);
        Field<NonNullGraphType<PageInfoType>>("pageInfo").Resolve(ctx => ctx.Source.PageInfo);
        Field<NonNullGraphType<IntGraphType>>("totalCount")
            .Description("Number of items matching the filter, across all pages.")
            // A COUNT over every matching row, where a page reads at most `first`: priced like five objects.
            .Cost(TotalCountWeight)
            .ResolveAsync(async ctx => await ctx.Source.CountAsync(ctx.CancellationToken));
    }
}

/// <summary>Opaque keyset cursors: the sort key and the id, so pages stay stable while rows are inserted.</summary>
public static class Cursor
{
    public static string Encode(string sortValue, long id) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{sortValue}\u001f{id}"));

    public static (string SortValue, long Id) Decode(string cursor, string argumentName = "after")
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            var separator = text.LastIndexOf('\u001f');
            if (separator >= 0 && long.TryParse(text.AsSpan(separator + 1), out var id))
                return (text[..separator], id);
        }
        catch (FormatException)
        {
        }
        throw new ExecutionError($"The '{argumentName}' cursor is not valid. Pass an endCursor from a previous page.") { Code = "BAD_CURSOR" };
    }
}

public static class Paging
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;

    public static int PageSize(int? first)
    {
        if (first is null)
            return DefaultPageSize;
        if (first < 0 || first > MaxPageSize)
            throw new ExecutionError($"'first' must be between 0 and {MaxPageSize}.") { Code = "BAD_USER_INPUT" };
        return first.Value;
    }

    /// <summary>
    /// The <c>first</c> and <c>after</c> arguments every connection field takes, read by <see cref="PageSize"/> and the
    /// cursor codecs, and the <c>@listSize</c> that sizes the connection's edges and nodes by <c>first</c>.
    /// </summary>
    public static FieldBuilder<TSource, TReturn> PagingArguments<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) =>
        field.Argument<IntGraphType>("first", $"Page size, 0 to {MaxPageSize}; default {DefaultPageSize}.")
            .Argument<StringGraphType>("after")
            .ConnectionSize();
}
