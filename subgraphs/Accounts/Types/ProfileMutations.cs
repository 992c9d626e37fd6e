using Accounts.Data;
using Accounts.Security;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Accounts.Types;

public sealed record UpdateProfileInput(string Name);

public sealed record ChangePasswordInput(string CurrentPassword, string NewPassword);

public sealed record UpdateProfilePayload(User? User, IReadOnlyList<UserError> Errors);

public sealed record ChangePasswordPayload(Session? Session, IReadOnlyList<UserError> Errors) : ISessionPayload;

public static class ProfileErrorCodes
{
    public const string WrongPassword = "WRONG_PASSWORD";
}

/// <summary>
/// The signed-in caller's own account: the user id is never an input, so no caller (an admin neither) can change
/// another account through these fields.
/// </summary>
public sealed class ProfileMutations : IMutationFields
{
    public void AddFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<UpdateProfilePayloadType>>("updateProfile")
            .Authenticated()
            .Description("Changes the signed-in user's display name. The email is the sign-in identity and is not changed here.")
            .Argument<NonNullGraphType<UpdateProfileInputType>>("input")
            .ResolveAsync(async ctx => await UpdateProfileAsync(ctx, ctx.SignedInUserId(), ctx.GetArgument<UpdateProfileInput>("input")));

        mutation.Field<NonNullGraphType<ChangePasswordPayloadType>>("changePassword")
            .Authenticated()
            .Description("Changes the signed-in user's password after checking the current one (WRONG_PASSWORD otherwise; failures count " +
                         "against the same limits as login). Every session of the account is revoked and a new one is returned, so refresh " +
                         "tokens issued before the change stop working at once; access tokens already issued stay valid until they expire " +
                         "(15 minutes by default).")
            .Argument<NonNullGraphType<ChangePasswordInputType>>("input")
            .ResolveAsync(async ctx => await ChangePasswordAsync(ctx, ctx.SignedInUserId(), ctx.GetArgument<ChangePasswordInput>("input")));
    }

    private static async Task<UpdateProfilePayload> UpdateProfileAsync(IResolveFieldContext ctx, int userId, UpdateProfileInput input)
    {
        var errors = new List<UserError>();
        var name = AccountMutations.ValidateName(input.Name, errors);
        if (name is null)
            return new UpdateProfilePayload(null, errors);

        await using var db = await CreateContextAsync(ctx);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ctx.CancellationToken);
        if (user is null)
            return new UpdateProfilePayload(null, [UserError.NotFound("Your account no longer exists.")]);
        user.Name = name;
        await db.SaveChangesAsync(ctx.CancellationToken);
        return new UpdateProfilePayload(user, []);
    }

    private static async Task<ChangePasswordPayload> ChangePasswordAsync(IResolveFieldContext ctx, int userId, ChangePasswordInput input)
    {
        var errors = new List<UserError>();
        if (string.IsNullOrEmpty(input.CurrentPassword))
            errors.Add(UserError.Validation("Current password must not be empty.", "input", "currentPassword"));
        else if (input.CurrentPassword.Length > AccountMutations.PasswordMaxLength)
            errors.Add(WrongPassword());
        AccountMutations.ValidatePassword(input.NewPassword, errors, "newPassword");
        if (errors.Count > 0)
            return new ChangePasswordPayload(null, errors);

        var services = ctx.RequestServices!;
        await using var db = await CreateContextAsync(ctx);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, ctx.CancellationToken);
        if (user is null)
            return new ChangePasswordPayload(null, [UserError.NotFound("Your account no longer exists.")]);

        // Counted like a login on this account: a stolen access token must not become a way to guess the password.
        var throttle = services.GetRequiredService<LoginThrottle>();
        var attempt = await throttle.AcquireAsync(user.Email, ClientAddress.Of(services), ctx.CancellationToken);
        var passwords = services.GetRequiredService<PasswordHasher>();
        if (!passwords.Verify(input.CurrentPassword, user.PasswordHash, out var usedDecoy))
        {
            services.GetRequiredService<ILogger<ProfileMutations>>().LoginFailed(LoginThrottle.AccountDigest(user.Email), "wrong current password", usedDecoy);
            // Only this error: nothing about the new password is judged against the current one before it is proven.
            return new ChangePasswordPayload(null, [WrongPassword()]);
        }
        await throttle.ForgetAsync(attempt);
        if (input.NewPassword == input.CurrentPassword)
            return new ChangePasswordPayload(null, [UserError.Validation("The new password must differ from the current one.", "input", "newPassword")]);

        await using (var transaction = await db.Database.BeginTransactionAsync(ctx.CancellationToken))
        {
            user.PasswordHash = passwords.Hash(input.NewPassword);
            await db.SaveChangesAsync(ctx.CancellationToken);
            // Whoever may know the old password loses every session it started; the caller gets a fresh one below.
            await SessionIssuer.RevokeAllAsync(db, userId, services.GetRequiredService<TimeProvider>().GetUtcNow(), ctx.CancellationToken);
            await transaction.CommitAsync(ctx.CancellationToken);
        }
        return new ChangePasswordPayload(await services.GetRequiredService<SessionIssuer>().StartAsync(user, ctx.CancellationToken), []);
    }

    private static UserError WrongPassword() =>
        new(ProfileErrorCodes.WrongPassword, "The current password is incorrect.", ["input", "currentPassword"]);

    private static Task<AccountsDbContext> CreateContextAsync(IResolveFieldContext ctx) =>
        ctx.RequestServices!.GetRequiredService<IDbContextFactory<AccountsDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
}

public sealed class UpdateProfileInputType : InputObjectGraphType<UpdateProfileInput>
{
    public UpdateProfileInputType()
    {
        Name = "UpdateProfileInput";
        Field<NonNullGraphType<StringGraphType>>("name").Description($"Display name, 1 to {User.NameMaxLength} characters after trimming.");
    }
}

public sealed class ChangePasswordInputType : InputObjectGraphType<ChangePasswordInput>
{
    public ChangePasswordInputType()
    {
        Name = "ChangePasswordInput";
        Field<NonNullGraphType<StringGraphType>>("currentPassword");
        Field<NonNullGraphType<StringGraphType>>("newPassword")
            .Description($"{AccountMutations.PasswordMinLength} to {AccountMutations.PasswordMaxLength} characters with at least one letter and one digit, not the current password.");
    }
}

public sealed class UpdateProfilePayloadType : ObjectGraphType<UpdateProfilePayload>
{
    public UpdateProfilePayloadType()
    {
        Name = "UpdateProfilePayload";
        Field<UserType>("user").Description("The account as saved; null when there are errors.").Resolve(ctx => ctx.Source.User);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public sealed class ChangePasswordPayloadType : ObjectGraphType<ChangePasswordPayload>
{
    public ChangePasswordPayloadType()
    {
        Name = "ChangePasswordPayload";
        Description = "On success, the caller's new session (every earlier one is revoked); null session fields when there are errors.";
        this.AddSessionFields();
    }
}
