using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.DataLoader;

namespace Federation.Subgraph.Security;

/// <summary>
/// The ownership and scope rules every subgraph applies in its resolvers, whatever the gateway already checked
/// (docs/architecture.md, "Security"). Answers are the same in every subgraph:
/// <list type="bullet">
/// <item>anonymous caller where a user is needed: a GraphQL error with code <c>UNAUTHENTICATED</c>;</item>
/// <item>signed-in caller without the <c>admin</c> scope on an admin operation: code <c>FORBIDDEN</c>;</item>
/// <item>another user's data on a public entity (<c>User.email</c>, <c>User.orders</c>, ...): null and code <c>FORBIDDEN</c>;</item>
/// <item>another user's order, payment or notification, by root field or entity reference: null without an error,
/// exactly like an id that does not exist, so ids cannot be probed for existence.</item>
/// </list>
/// </summary>
public static class Access
{
    public const string AdminScope = "admin";

    /// <summary>Whether the caller may read data owned by the user <paramref name="ownerId"/>: that user or an admin.</summary>
    public static bool MayRead(this Caller caller, int ownerId) => caller.IsUser(ownerId) || caller.HasScope(AdminScope);

    /// <summary>The signed-in caller's user id; an <c>UNAUTHENTICATED</c> error for an anonymous caller.</summary>
    public static int SignedInUserId(this IResolveFieldContext context)
    {
        var caller = context.Caller();
        return Ids.TryParse(caller.UserId, out var userId) ? userId : throw Unauthenticated(context);
    }

    /// <summary>Refuses anyone without the <c>admin</c> scope: <c>UNAUTHENTICATED</c> when anonymous, <c>FORBIDDEN</c> otherwise.</summary>
    public static void RequireAdmin(this IResolveFieldContext context)
    {
        var caller = context.Caller();
        if (!caller.IsSignedIn)
            throw Unauthenticated(context);
        if (!caller.HasScope(AdminScope))
            throw new ExecutionError($"{Coordinate(context)} needs the '{AdminScope}' scope.") { Code = UserErrorCodes.Forbidden };
    }

    /// <summary>Refuses anyone but the user <paramref name="ownerId"/> and admins, for a user's own data on a public entity.</summary>
    public static void RequireOwner(this IResolveFieldContext context, int ownerId)
    {
        var caller = context.Caller();
        if (!caller.IsSignedIn)
            throw Unauthenticated(context);
        if (!caller.MayRead(ownerId))
            throw new ExecutionError($"{Coordinate(context)} of user {ownerId} is visible only to that user and to admins.") { Code = UserErrorCodes.Forbidden };
    }

    /// <summary>
    /// An owned entity as the caller may see it: the loaded value for its owner and admins, null (as for an unknown id)
    /// for anyone else; <c>UNAUTHENTICATED</c> for an anonymous caller, who owns nothing.
    /// </summary>
    public static IDataLoaderResult<T?> Owned<T>(this IResolveFieldContext context, IDataLoaderResult<T?> entity, Func<T, int> ownerOf)
        where T : class
    {
        var caller = context.Caller();
        if (!caller.IsSignedIn)
            throw Unauthenticated(context);
        return entity.Map(value => value is not null && caller.MayRead(ownerOf(value)) ? value : null);
    }

    private static ExecutionError Unauthenticated(IResolveFieldContext context) =>
        new($"{Coordinate(context)} needs a signed-in user.") { Code = UserErrorCodes.Unauthenticated };

    private static string Coordinate(IResolveFieldContext context) => $"{context.ParentType.Name}.{context.FieldDefinition.Name}";
}
