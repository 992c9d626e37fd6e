namespace Federation.Gateway.Authorization;

/// <summary>
/// What <c>@authenticated</c> and <c>@requiresScopes</c> demand of a caller for one type or field. Each entry of
/// <see cref="Scopes"/> is one <c>@requiresScopes</c>: a list of alternatives (OR), each a set of scopes the caller
/// must all hold (AND). Entries combine with AND, so requirements met on one field from several places (subgraphs,
/// the field and its type, an interface and its implementations) must all hold.
/// </summary>
public sealed class AccessRequirement
{
    public static readonly AccessRequirement None = new(false, []);

    public AccessRequirement(bool authenticated, IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> scopes)
    {
        Authenticated = authenticated;
        Scopes = scopes;
    }

    public bool Authenticated { get; }

    public IReadOnlyList<IReadOnlyList<IReadOnlyList<string>>> Scopes { get; }

    public bool IsEmpty => !Authenticated && Scopes.Count == 0;

    public bool IsSatisfiedBy(CallerIdentity? caller)
    {
        if (Authenticated && caller is null)
        {
            return false;
        }

        var held = caller?.Scopes;
        foreach (var alternatives in Scopes)
        {
            if (!alternatives.Any(all => all.All(scope => held?.Contains(scope) == true)))
            {
                return false;
            }
        }

        return true;
    }

    public AccessRequirement And(AccessRequirement other) =>
        other.IsEmpty ? this : IsEmpty ? other : new AccessRequirement(Authenticated || other.Authenticated, [.. Scopes, .. other.Scopes]);
}
