using System.Globalization;
using System.Security.Claims;
using GraphQL;

namespace Federation.Subgraph.Security;

/// <summary>
/// Who the gateway says is calling: the verified client's <c>sub</c> and <c>scope</c> from the internal token.
/// An anonymous client reaches a subgraph too (the gateway still signs for it), with no user id and no scopes.
/// </summary>
public sealed class Caller
{
    public static readonly Caller Anonymous = new(null, []);

    private readonly HashSet<string> scopes;

    public Caller(string? userId, IEnumerable<string> scopes)
    {
        UserId = userId;
        this.scopes = new HashSet<string>(scopes, StringComparer.Ordinal);
    }

    /// <summary>The user's id (accounts' <c>users.id</c>, as text); null for an anonymous caller.</summary>
    public string? UserId { get; }

    public bool IsSignedIn => UserId is not null;

    public IReadOnlyCollection<string> Scopes => scopes;

    public bool HasScope(string scope) => scopes.Contains(scope);

    /// <summary>Whether the caller is the user with this id (ownership checks).</summary>
    public bool IsUser(int userId) => UserId is not null && UserId == userId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads <c>sub</c> and the space-separated <c>scope</c> claim (RFC 8693 section 4.2).</summary>
    public static Caller From(ClaimsPrincipal? user)
    {
        if (user?.Identity?.IsAuthenticated != true)
            return Anonymous;
        var scope = user.FindFirst("scope")?.Value ?? "";
        return new Caller(user.FindFirst("sub")?.Value, scope.Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }
}

public static class CallerExtensions
{
    /// <summary>The caller of the GraphQL request this field belongs to (<see cref="ExecutionOptions.User"/>).</summary>
    public static Caller Caller(this IResolveFieldContext context) => Security.Caller.From(context.User);
}
