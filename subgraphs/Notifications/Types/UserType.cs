using System.Globalization;
using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Notifications.Data;

namespace Notifications.Types;

public sealed class UserReference
{
    public int Id { get; set; }
}

/// <summary>Accounts owns User; notifications adds what the user was told.</summary>
public sealed class UserType : ObjectGraphType<UserReference>
{
    public UserType()
    {
        Name = "User";
        this.Key("id");
        Field(u => u.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<ConnectionType<NotificationType, Notification>>>("notifications")
            .Description("The user's notifications, newest first (keyset pagination: pass pageInfo.endCursor as 'after').")
            .Argument<IntGraphType>("first", $"Page size, 0 to {Paging.MaxPageSize}; default {Paging.DefaultPageSize}.")
            .Argument<StringGraphType>("after")
            .Argument<BooleanGraphType>("unreadOnly", "Only notifications not marked read; default false.")
            .Resolve(Notifications);
        Field<NonNullGraphType<IntGraphType>>("unreadNotificationCount")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<NotificationCountDataLoader>().Load((ctx.Source.Id, true)));
        // The key is all notifications needs: no lookup, the notifications are found by user_id.
        this.ResolveReference<UserReference>((_, reference) => reference);
    }

    private static IDataLoaderResult<Connection<Notification>> Notifications(IResolveFieldContext<UserReference> ctx)
    {
        var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
        var after = ctx.GetArgument<string?>("after");
        var unreadOnly = ctx.GetArgument<bool?>("unreadOnly") ?? false;
        var (afterCreatedAt, afterId) = after is null ? (null, 0) : DecodeCursor(after);
        var services = ctx.RequestServices!;
        // Registered now, alongside every sibling user, so totalCount is one grouped query for the batch.
        var count = Selection.FieldsAt(ctx).Contains("totalCount")
            ? services.GetRequiredService<NotificationCountDataLoader>().Load((ctx.Source.Id, unreadOnly))
            : null;
        Func<Task<int>> countAsync = async () => count is null ? 0 : await count.GetResultAsync(ctx.CancellationToken);

        var page = first == 0
            ? new CompletedDataLoaderResult<IReadOnlyList<Notification>?>([])
            : services.GetRequiredService<NotificationPageDataLoader>().Load(new NotificationPage(ctx.Source.Id, unreadOnly, first + 1, afterCreatedAt, afterId));
        return page.Map(rows =>
        {
            rows ??= [];
            var edges = rows.Take(first).Select(n => new Edge<Notification>(CursorOf(n), n)).ToList();
            return new Connection<Notification>(edges, rows.Count > first, after is not null, countAsync);
        });
    }

    private static string CursorOf(Notification notification) =>
        Cursor.Encode(notification.CreatedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), notification.Id);

    private static (DateTimeOffset?, int) DecodeCursor(string after)
    {
        var (value, id) = Cursor.Decode(after);
        if (DateTimeOffset.TryParseExact(value, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var createdAt) && id is > 0 and <= int.MaxValue)
            return (createdAt.ToUniversalTime(), (int)id);
        throw new ExecutionError("The 'after' cursor is not valid. Pass an endCursor from a previous page.") { Code = "BAD_CURSOR" };
    }
}
