using System.Globalization;
using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Orders.Data;
using Orders.Domain;

namespace Orders.Types;

public sealed class UserReference
{
    public int Id { get; set; }
}

/// <summary>Accounts owns User; orders adds the user's order history.</summary>
public sealed class UserType : ObjectGraphType<UserReference>
{
    public UserType()
    {
        Name = "User";
        this.Key("id");
        Field(u => u.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<ConnectionType<OrderType, Order>>>("orders")
            .Description("The user's orders, newest first (keyset pagination: pass pageInfo.endCursor as 'after').")
            .Argument<IntGraphType>("first", $"Page size, 0 to {Paging.MaxPageSize}; default {Paging.DefaultPageSize}.")
            .Argument<StringGraphType>("after")
            .Resolve(Orders);
        // The key is all orders needs: no lookup, the user's orders are found by user_id.
        this.ResolveReference<UserReference>((_, reference) => reference);
    }

    private static IDataLoaderResult<Connection<Order>> Orders(IResolveFieldContext<UserReference> ctx)
    {
        var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
        var after = ctx.GetArgument<string?>("after");
        var (afterPlacedAt, afterId) = after is null ? (null, 0) : DecodeCursor(after);
        var services = ctx.RequestServices!;
        var userId = ctx.Source.Id;
        // Registered now, alongside every sibling user, so totalCount is one grouped query for the batch.
        var count = Selection.FieldsAt(ctx).Contains("totalCount") ? services.GetRequiredService<UserOrderCountDataLoader>().Load(userId) : null;
        Func<Task<int>> countAsync = async () => count is null ? 0 : await count.GetResultAsync(ctx.CancellationToken);

        var page = first == 0
            ? new CompletedDataLoaderResult<IReadOnlyList<Order>?>([])
            : services.GetRequiredService<UserOrdersDataLoader>().Load(new UserOrdersPage(userId, first + 1, afterPlacedAt, afterId));
        return page.Map(rows =>
        {
            rows ??= [];
            var edges = rows.Take(first).Select(o => new Edge<Order>(CursorOf(o), o)).ToList();
            return new Connection<Order>(edges, rows.Count > first, after is not null, countAsync);
        });
    }

    private static string CursorOf(Order order) =>
        Cursor.Encode(order.PlacedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), order.Id);

    private static (DateTimeOffset?, int) DecodeCursor(string after)
    {
        var (value, id) = Cursor.Decode(after);
        if (DateTimeOffset.TryParseExact(value, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var placedAt) && id is > 0 and <= int.MaxValue)
            return (placedAt.ToUniversalTime(), (int)id);
        throw new ExecutionError("The 'after' cursor is not valid. Pass an endCursor from a previous page.") { Code = "BAD_CURSOR" };
    }
}
