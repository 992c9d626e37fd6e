using System.Net.Mail;
using Accounts.Data;
using Accounts.Security;
using Federation.Subgraph.GraphQL;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Accounts.Types;

public sealed record RegisterInput(string Email, string Name, string Password);

public sealed record LoginInput(string Email, string Password);

public sealed record RegisterPayload(User? User, IReadOnlyList<UserError> Errors);

public sealed record LoginPayload(Session? Session, IReadOnlyList<UserError> Errors) : ISessionPayload;

public sealed class AccountMutations : IMutationFields
{
    public const int PasswordMinLength = 8;
    public const int PasswordMaxLength = 128;

    public void AddFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RegisterPayloadType>>("register")
            .Description("Creates an account. Sign in with login afterwards.")
            .Argument<NonNullGraphType<RegisterInputType>>("input")
            .ResolveAsync(async ctx => await RegisterAsync(ctx, ctx.GetArgument<RegisterInput>("input")));

        mutation.Field<NonNullGraphType<LoginPayloadType>>("login")
            .Description("Checks email and password and starts a session: a short-lived access token and a single-use refresh token. " +
                         "Failed attempts are limited per account and per client address; over the limit the field fails with code RATE_LIMITED and extensions.retryAfter (seconds).")
            .Argument<NonNullGraphType<LoginInputType>>("input")
            .ResolveAsync(async ctx => await LoginAsync(ctx, ctx.GetArgument<LoginInput>("input")));
    }

    private static async Task<RegisterPayload> RegisterAsync(IResolveFieldContext ctx, RegisterInput input)
    {
        var errors = new List<UserError>();
        var email = NormalizeEmail(input.Email);
        if (email is null)
            errors.Add(UserError.Validation("Email is not a valid address.", "input", "email"));
        var name = ValidateName(input.Name, errors);
        ValidatePassword(input.Password, errors);
        if (errors.Count > 0)
            return new RegisterPayload(null, errors);

        await using var db = await CreateContextAsync(ctx);
        if (await db.Users.AnyAsync(u => u.Email == email, ctx.CancellationToken))
            return new RegisterPayload(null, [EmailTaken()]);

        var user = new User { Email = email!, Name = name!, PasswordHash = ctx.RequestServices!.GetRequiredService<PasswordHasher>().Hash(input.Password), CreatedAt = DateTimeOffset.UtcNow };
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(ctx.CancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another registration of the same email committed between the check and the insert.
            return new RegisterPayload(null, [EmailTaken()]);
        }
        return new RegisterPayload(user, []);
    }

    private static async Task<LoginPayload> LoginAsync(IResolveFieldContext ctx, LoginInput input)
    {
        var errors = new List<UserError>();
        var email = NormalizeEmail(input.Email);
        if (email is null)
            errors.Add(UserError.Validation("Email is not a valid address.", "input", "email"));
        if (string.IsNullOrEmpty(input.Password))
            errors.Add(UserError.Validation("Password must not be empty.", "input", "password"));
        else if (input.Password.Length > PasswordMaxLength)
            errors.Add(UserError.Validation($"Password must be at most {PasswordMaxLength} characters.", "input", "password"));
        if (errors.Count > 0)
            return new LoginPayload(null, errors);

        var services = ctx.RequestServices!;
        var throttle = services.GetRequiredService<LoginThrottle>();
        var attempt = await throttle.AcquireAsync(email!, ClientAddress.Of(services), ctx.CancellationToken);
        await using var db = await CreateContextAsync(ctx);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == email, ctx.CancellationToken);
        var passwords = services.GetRequiredService<PasswordHasher>();
        var verified = passwords.Verify(input.Password, user?.PasswordHash, out var usedDecoy);
        if (!verified)
        {
            services.GetRequiredService<ILogger<AccountMutations>>().LoginFailed(LoginThrottle.AccountDigest(email!), user is null ? "unknown email" : "wrong password", usedDecoy);
            // One message for an unknown email and a wrong password, so login does not reveal who has an account.
            return new LoginPayload(null, [new UserError(UserErrorCodes.Unauthenticated, "Email or password is incorrect.")]);
        }
        await throttle.ForgetAsync(attempt);
        if (passwords.NeedsRehash(user!.PasswordHash))
        {
            user.PasswordHash = passwords.Hash(input.Password);
            await db.SaveChangesAsync(ctx.CancellationToken);
        }
        return new LoginPayload(await services.GetRequiredService<SessionIssuer>().StartAsync(user, ctx.CancellationToken), []);
    }

    private static string? NormalizeEmail(string email)
    {
        var trimmed = email.Trim().ToLowerInvariant();
        return trimmed.Length is > 0 and <= User.EmailMaxLength
               && MailAddress.TryCreate(trimmed, out var address)
               && address.Address == trimmed && address.DisplayName.Length == 0
               && address.Host.Contains('.', StringComparison.Ordinal)
            ? trimmed
            : null;
    }

    /// <summary>The password rules of registration, also applied by changePassword to its new password.</summary>
    internal static void ValidatePassword(string password, List<UserError> errors, string field = "password")
    {
        if (password.Length < PasswordMinLength || password.Length > PasswordMaxLength)
            errors.Add(UserError.Validation($"Password must be {PasswordMinLength} to {PasswordMaxLength} characters.", "input", field));
        else if (!password.Any(char.IsLetter) || !password.Any(char.IsDigit))
            errors.Add(UserError.Validation("Password must contain a letter and a digit.", "input", field));
    }

    /// <summary>Registration's rule for a display name: trimmed, 1 to <see cref="User.NameMaxLength"/> characters.</summary>
    internal static string? ValidateName(string name, List<UserError> errors)
    {
        var trimmed = name.Trim();
        if (trimmed.Length == 0)
            errors.Add(UserError.Validation("Name must not be empty.", "input", "name"));
        else if (trimmed.Length > User.NameMaxLength)
            errors.Add(UserError.Validation($"Name must be at most {User.NameMaxLength} characters.", "input", "name"));
        else
            return trimmed;
        return null;
    }

    private static UserError EmailTaken() => UserError.Conflict("An account with this email already exists.", "input", "email");

    private static Task<AccountsDbContext> CreateContextAsync(IResolveFieldContext ctx) =>
        ctx.RequestServices!.GetRequiredService<IDbContextFactory<AccountsDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
}

public sealed class RegisterInputType : InputObjectGraphType<RegisterInput>
{
    public RegisterInputType()
    {
        Name = "RegisterInput";
        Field<NonNullGraphType<StringGraphType>>("email");
        Field<NonNullGraphType<StringGraphType>>("name");
        Field<NonNullGraphType<StringGraphType>>("password")
            .Description($"{AccountMutations.PasswordMinLength} to {AccountMutations.PasswordMaxLength} characters with at least one letter and one digit.");
    }
}

public sealed class LoginInputType : InputObjectGraphType<LoginInput>
{
    public LoginInputType()
    {
        Name = "LoginInput";
        Field<NonNullGraphType<StringGraphType>>("email");
        Field<NonNullGraphType<StringGraphType>>("password");
    }
}

public sealed class RegisterPayloadType : ObjectGraphType<RegisterPayload>
{
    public RegisterPayloadType()
    {
        Name = "RegisterPayload";
        Field<UserType>("user").Description("The new account; null when there are errors.").Resolve(ctx => ctx.Source.User);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public sealed class LoginPayloadType : ObjectGraphType<LoginPayload>
{
    public LoginPayloadType()
    {
        Name = "LoginPayload";
        Field<StringGraphType>("token")
            .Description("The access token; null when there are errors.")
            .DeprecationReason("Use accessToken.")
            .Resolve(ctx => ctx.Source.Session?.AccessToken.Token);
        this.AddSessionFields();
    }
}
