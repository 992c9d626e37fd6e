using Accounts.Security;
using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;

namespace Accounts.Types;

/// <summary>A payload that may carry a session: login's and refreshSession's.</summary>
public interface ISessionPayload
{
    Session? Session { get; }
    IReadOnlyList<UserError> Errors { get; }
}

public sealed record RefreshSessionPayload(Session? Session, IReadOnlyList<UserError> Errors) : ISessionPayload;

public sealed record LogoutPayload(bool Revoked, IReadOnlyList<UserError> Errors);

public static class SessionErrorCodes
{
    public const string InvalidRefreshToken = "INVALID_REFRESH_TOKEN";
    public const string RefreshTokenReused = "REFRESH_TOKEN_REUSED";
}

public sealed class SessionMutations : IMutationFields
{
    public void AddFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RefreshSessionPayloadType>>("refreshSession")
            .Description("Trades a refresh token for a new access token and the next refresh token. Each refresh token works once: " +
                         "presenting a used one again revokes the whole session (REFRESH_TOKEN_REUSED).")
            .Argument<NonNullGraphType<StringGraphType>>("refreshToken")
            .ResolveAsync(async ctx =>
            {
                var result = await Sessions(ctx).RefreshAsync(ctx.GetArgument<string>("refreshToken"), ctx.CancellationToken);
                return result.Failure switch
                {
                    null => new RefreshSessionPayload(result.Session, []),
                    RefreshFailure.Reused => new RefreshSessionPayload(null,
                        [new UserError(SessionErrorCodes.RefreshTokenReused, "This refresh token was already used; the session is revoked. Sign in again.", ["refreshToken"])]),
                    _ => new RefreshSessionPayload(null, [InvalidToken()]),
                };
            });

        mutation.Field<NonNullGraphType<LogoutPayloadType>>("logout")
            .Description("Revokes the session the refresh token belongs to. Access tokens already issued stay valid until they expire (15 minutes by default).")
            .Argument<NonNullGraphType<StringGraphType>>("refreshToken")
            .ResolveAsync(async ctx => await Sessions(ctx).RevokeAsync(ctx.GetArgument<string>("refreshToken"), ctx.CancellationToken)
                ? new LogoutPayload(true, [])
                : new LogoutPayload(false, [InvalidToken()]));
    }

    private static UserError InvalidToken() =>
        new(SessionErrorCodes.InvalidRefreshToken, "The refresh token is unknown, expired or revoked. Sign in again.", ["refreshToken"]);

    private static SessionIssuer Sessions(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<SessionIssuer>();
}

public static class SessionPayloadFields
{
    /// <summary>The fields login and refreshSession share, so both answer a session the same way.</summary>
    public static void AddSessionFields<T>(this ObjectGraphType<T> type) where T : ISessionPayload
    {
        type.Field<StringGraphType>("accessToken")
            .Description("Bearer access token: JWT signed ES256 (kid in the header; keys at /.well-known/jwks.json), subject = user id, " +
                         "scope = 'shopper' or 'shopper admin'. Null when there are errors.")
            .Resolve(ctx => ctx.Source.Session?.AccessToken.Token);
        type.Field<DateTimeGraphType>("expiresAt").Description("When the access token expires.")
            .Resolve(ctx => ctx.Source.Session?.AccessToken.ExpiresAt.UtcDateTime);
        type.Field<StringGraphType>("refreshToken")
            .Description("Opaque single-use token for refreshSession and logout; keep it secret.")
            .Resolve(ctx => ctx.Source.Session?.RefreshToken.Token);
        type.Field<DateTimeGraphType>("refreshTokenExpiresAt").Resolve(ctx => ctx.Source.Session?.RefreshToken.ExpiresAt.UtcDateTime);
        type.Field<UserType>("user").Resolve(ctx => ctx.Source.Session?.User);
        type.Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public sealed class RefreshSessionPayloadType : ObjectGraphType<RefreshSessionPayload>
{
    public RefreshSessionPayloadType()
    {
        Name = "RefreshSessionPayload";
        this.AddSessionFields();
    }
}

public sealed class LogoutPayloadType : ObjectGraphType<LogoutPayload>
{
    public LogoutPayloadType()
    {
        Name = "LogoutPayload";
        Field<NonNullGraphType<BooleanGraphType>>("revoked").Resolve(ctx => ctx.Source.Revoked);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}
