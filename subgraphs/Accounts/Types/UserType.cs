using Federation.Subgraph.GraphQL;
using Accounts.Data;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accounts.Types;

public sealed class UserType : ObjectGraphType<User>
{
    public UserType()
    {
        Name = "User";
        Description = "A customer account. Owned by accounts; other subgraphs extend it by id.";
        this.Key("id");

        // email is answered to its owner only, so no answer is shared between callers.
        this.CacheControl(maxAge: 60, scope: CacheScope.Private);
        Field(u => u.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<StringGraphType>>("email")
            .Description("Sign-in email, lower-case. Only the user and admins may read it (FORBIDDEN otherwise), and the register, login or refreshSession call that returns the account.")
            .Resolve(ctx =>
            {
                if (!IsProvenByThisRequest(ctx))
                    ctx.RequireOwner(ctx.Source.Id);
                return ctx.Source.Email;
            });
        Field(u => u.Name).Description("Display name.");
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<AddressType>>>>("addresses")
            .Description($"The user's saved shipping addresses, oldest first (at most {Address.MaxPerUser}). Only the user may read them, not even an admin (FORBIDDEN otherwise).")
            .ListSize(assumedSize: Address.MaxPerUser)
            .ResolveAsync(async ctx => await AddressesAsync(ctx));
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt.UtcDateTime);
        this.ResolveReference<User>((ctx, reference) =>
            ctx.RequestServices!.GetRequiredService<UserByIdDataLoader>().Load(reference.Id));
    }

    private static async Task<IReadOnlyList<Address>> AddressesAsync(IResolveFieldContext<User> ctx)
    {
        var caller = ctx.Caller();
        if (!caller.IsSignedIn)
            throw new ExecutionError("User.addresses needs a signed-in user.") { Code = UserErrorCodes.Unauthenticated };
        if (!caller.IsUser(ctx.Source.Id))
            throw new ExecutionError("User.addresses is visible only to that user.") { Code = UserErrorCodes.Forbidden };
        await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<AccountsDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
        return await db.Addresses.AsNoTracking().Where(a => a.UserId == ctx.Source.Id).OrderBy(a => a.Id).ToListAsync(ctx.CancellationToken);
    }

    private static readonly HashSet<string> ProvingMutations = ["register", "login", "refreshSession"];

    /// <summary>
    /// The caller of these mutations is anonymous until the answer arrives, yet has just created the account or shown its
    /// password or refresh token; the only User their payloads return is that account.
    /// </summary>
    private static bool IsProvenByThisRequest(IResolveFieldContext ctx)
    {
        var root = ctx;
        while (root.Parent is not null)
            root = root.Parent;
        return root.ParentType == ctx.Schema.Mutation && ProvingMutations.Contains(root.FieldDefinition.Name);
    }
}
