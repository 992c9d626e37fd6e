using GraphQL.Federation;
using GraphQL.Types;

namespace Federation.Subgraph.GraphQL;

/// <summary>An error a client can act on, returned as a value in a mutation payload.</summary>
/// <param name="Code">Stable machine-readable reason, e.g. VALIDATION, NOT_FOUND, CONFLICT.</param>
/// <param name="Field">Path of the input field at fault, e.g. ["input", "price"].</param>
public sealed record UserError(string Code, string Message, IReadOnlyList<string>? Field = null)
{
    public static UserError Validation(string message, params string[] field) => new(UserErrorCodes.Validation, message, field);
    public static UserError NotFound(string message, params string[] field) => new(UserErrorCodes.NotFound, message, field);
    public static UserError Conflict(string message, params string[] field) => new(UserErrorCodes.Conflict, message, field);
}

public static class UserErrorCodes
{
    public const string Validation = "VALIDATION";
    public const string NotFound = "NOT_FOUND";
    public const string Conflict = "CONFLICT";
    public const string Unauthenticated = "UNAUTHENTICATED";
    public const string Forbidden = "FORBIDDEN";
}

public sealed class UserErrorType : ObjectGraphType<UserError>
{
    public UserErrorType()
    {
        Name = "UserError";
        Description = "An error the client can act on, returned as a value in a mutation payload.";
        // Every subgraph defines this same value type, so composition needs it shareable.
        this.Shareable();
        Field(e => e.Code).Description("Stable machine-readable reason: VALIDATION, NOT_FOUND, CONFLICT, ...");
        Field(e => e.Message);
        Field(e => e.Field, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>))
            .Description("Path of the input field at fault.");
    }
}
