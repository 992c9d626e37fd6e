namespace Federation.Gateway.Authorization;

/// <summary>
/// The caller as the host verified it from a bearer token: subject and OAuth scopes. A request without one is
/// anonymous. Everything downstream (authorization, internal tokens for subgraphs) reads only this record.
/// </summary>
public sealed record CallerIdentity(string Subject, IReadOnlySet<string> Scopes)
{
    public static CallerIdentity Create(string subject, IEnumerable<string> scopes) =>
        new(subject, new HashSet<string>(scopes, StringComparer.Ordinal));

    /// <summary>Identifies the caller's rights in cache and deduplication keys: subject and sorted scopes.</summary>
    public string Key => Subject + '\u0002' + string.Join(' ', Scopes.Order(StringComparer.Ordinal));

    public bool HasScope(string scope) => Scopes.Contains(scope);

    /// <summary>When the token stops being valid (its <c>exp</c>): a subscription it opened ends then.</summary>
    public DateTimeOffset? Expires { get; init; }
}
