using GraphQL.Types;

namespace Federation.Subgraph.GraphQL;

/// <summary>
/// A postal address as shoppers type it. Accounts saves them and orders ships to them, so both validate them the same way
/// and expose the same input fields; a saved address can be sent to placeOrder as it is.
/// </summary>
public sealed record PostalAddress(string Name, string Line1, string? Line2, string City, string? Region, string PostalCode, string Country)
{
    public const int NameMaxLength = 100;
    public const int LineMaxLength = 200;
    public const int CityMaxLength = 100;
    public const int RegionMaxLength = 100;
    public const int PostalCodeMaxLength = 20;

    /// <summary>
    /// The address trimmed, with the country upper-cased (ISO 3166-1 alpha-2) and blank optional lines as null; or the
    /// errors, each naming its field under <paramref name="path"/>.
    /// </summary>
    public static (PostalAddress? Address, List<UserError> Errors) Validate(PostalAddress input, params string[] path)
    {
        var errors = new List<UserError>();
        var name = Required(input.Name, "name", "The recipient's name", NameMaxLength);
        var line1 = Required(input.Line1, "line1", "The street address", LineMaxLength);
        var line2 = Optional(input.Line2, "line2", "The second address line", LineMaxLength);
        var city = Required(input.City, "city", "The city", CityMaxLength);
        var region = Optional(input.Region, "region", "The state or region", RegionMaxLength);
        var postalCode = Required(input.PostalCode, "postalCode", "The postal code", PostalCodeMaxLength);
        var country = (input.Country ?? "").Trim().ToUpperInvariant();
        if (country.Length != 2 || !country.All(char.IsAsciiLetterUpper))
            errors.Add(UserError.Validation("The country must be a two-letter ISO 3166-1 code, e.g. US or DE.", [.. path, "country"]));
        return errors.Count > 0 ? (null, errors) : (new PostalAddress(name, line1, line2, city, region, postalCode, country), errors);

        string Required(string? value, string field, string label, int maxLength)
        {
            var trimmed = (value ?? "").Trim();
            if (trimmed.Length == 0)
                errors.Add(UserError.Validation($"{label} must not be empty.", [.. path, field]));
            else if (trimmed.Length > maxLength)
                errors.Add(UserError.Validation($"{label} must be at most {maxLength} characters.", [.. path, field]));
            return trimmed;
        }

        string? Optional(string? value, string field, string label, int maxLength)
        {
            var trimmed = value?.Trim();
            if (string.IsNullOrEmpty(trimmed))
                return null;
            if (trimmed.Length > maxLength)
                errors.Add(UserError.Validation($"{label} must be at most {maxLength} characters.", [.. path, field]));
            return trimmed;
        }
    }
}

/// <summary>The input fields of a <see cref="PostalAddress"/>, under the name each subgraph gives its input type.</summary>
public abstract class PostalAddressInputType : InputObjectGraphType<PostalAddress>
{
    protected PostalAddressInputType(string name, string description)
    {
        Name = name;
        Description = description;
        Field<NonNullGraphType<StringGraphType>>("name").Description($"The recipient, at most {PostalAddress.NameMaxLength} characters.");
        Field<NonNullGraphType<StringGraphType>>("line1").Description("Street and number.");
        Field<StringGraphType>("line2").Description("Apartment, suite, floor (optional).");
        Field<NonNullGraphType<StringGraphType>>("city");
        Field<StringGraphType>("region").Description("State, province or region; US tax is by state (two letters, e.g. CA).");
        Field<NonNullGraphType<StringGraphType>>("postalCode");
        Field<NonNullGraphType<StringGraphType>>("country").Description("ISO 3166-1 alpha-2 code, e.g. US, DE.");
    }
}

/// <summary>An address as a subgraph stores it (accounts' saved address, orders' shipping address).</summary>
public interface IPostalAddress
{
    string Name { get; }
    string Line1 { get; }
    string? Line2 { get; }
    string City { get; }
    string? Region { get; }
    string PostalCode { get; }
    string Country { get; }
}

public static class PostalAddressFields
{
    /// <summary>The output fields of an address, the same in every subgraph that exposes one.</summary>
    public static void AddPostalAddressFields<T>(this ObjectGraphType<T> type)
        where T : IPostalAddress
    {
        type.Field(a => a.Name).Description("The recipient.");
        type.Field(a => a.Line1);
        type.Field(a => a.Line2, nullable: true);
        type.Field(a => a.City);
        type.Field(a => a.Region, nullable: true);
        type.Field(a => a.PostalCode);
        type.Field(a => a.Country).Description("ISO 3166-1 alpha-2 code.");
    }
}
