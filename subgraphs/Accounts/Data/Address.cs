namespace Accounts.Data;

/// <summary>A shipping address a user saved for checkout; only that user reads or removes it.</summary>
public sealed class Address : Federation.Subgraph.GraphQL.IPostalAddress
{
    /// <summary>Enough for home, work and a few others; a bound keeps one account from filling the table.</summary>
    public const int MaxPerUser = 10;

    public int Id { get; set; }
    public int UserId { get; set; }
    public string Name { get; set; } = "";
    public string Line1 { get; set; } = "";
    public string? Line2 { get; set; }
    public string City { get; set; } = "";
    public string? Region { get; set; }
    public string PostalCode { get; set; } = "";

    /// <summary>ISO 3166-1 alpha-2, upper case.</summary>
    public string Country { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }
}
