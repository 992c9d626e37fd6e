using System.Globalization;
using Accounts.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accounts.Types;

public sealed record AddAddressPayload(Address? Address, IReadOnlyList<UserError> Errors);

public sealed record RemoveAddressPayload(string? RemovedId, IReadOnlyList<UserError> Errors);

/// <summary>
/// Saved addresses are the signed-in caller's own: the user id is never an input, and another user's address id is
/// answered exactly like one that does not exist, so ids cannot be probed.
/// </summary>
public sealed class AddressMutations : IMutationFields
{
    public void AddFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AddAddressPayloadType>>("addAddress")
            .Authenticated()
            .Description($"Saves a shipping address for the signed-in user (at most {Address.MaxPerUser}).")
            .Argument<NonNullGraphType<AddressInputType>>("input")
            .ResolveAsync(async ctx => await AddAsync(ctx, ctx.SignedInUserId(), ctx.GetArgument<PostalAddress>("input")));

        mutation.Field<NonNullGraphType<RemoveAddressPayloadType>>("removeAddress")
            .Authenticated()
            .Description("Removes one of the signed-in user's saved addresses.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await RemoveAsync(ctx, ctx.SignedInUserId(), ctx.GetArgument<string>("id")));
    }

    private static async Task<AddAddressPayload> AddAsync(IResolveFieldContext ctx, int userId, PostalAddress input)
    {
        var (valid, errors) = PostalAddress.Validate(input, "input");
        if (valid is null)
            return new AddAddressPayload(null, errors);

        await using var db = await CreateContextAsync(ctx);
        await using var transaction = await db.Database.BeginTransactionAsync(ctx.CancellationToken);
        // Locking the user row serialises this user's concurrent adds, so the count below cannot be outrun.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {userId} FOR UPDATE", ctx.CancellationToken);
        if (await db.Addresses.CountAsync(a => a.UserId == userId, ctx.CancellationToken) >= Address.MaxPerUser)
            return new AddAddressPayload(null, [UserError.Conflict($"You can save at most {Address.MaxPerUser} addresses; remove one first.", "input")]);

        var address = new Address
        {
            UserId = userId,
            Name = valid.Name,
            Line1 = valid.Line1,
            Line2 = valid.Line2,
            City = valid.City,
            Region = valid.Region,
            PostalCode = valid.PostalCode,
            Country = valid.Country,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.Addresses.Add(address);
        await db.SaveChangesAsync(ctx.CancellationToken);
        await transaction.CommitAsync(ctx.CancellationToken);
        return new AddAddressPayload(address, []);
    }

    private static async Task<RemoveAddressPayload> RemoveAsync(IResolveFieldContext ctx, int userId, string id)
    {
        if (!Ids.TryParse(id, out var addressId))
            return new RemoveAddressPayload(null, [UserError.Validation($"'{id}' is not an address id.", "id")]);
        await using var db = await CreateContextAsync(ctx);
        var removed = await db.Addresses.Where(a => a.Id == addressId && a.UserId == userId).ExecuteDeleteAsync(ctx.CancellationToken);
        return removed == 0
            ? new RemoveAddressPayload(null, [UserError.NotFound("You have no saved address with this id.", "id")])
            : new RemoveAddressPayload(addressId.ToString(CultureInfo.InvariantCulture), []);
    }

    private static Task<AccountsDbContext> CreateContextAsync(IResolveFieldContext ctx) =>
        ctx.RequestServices!.GetRequiredService<IDbContextFactory<AccountsDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
}

public sealed class AddAddressPayloadType : ObjectGraphType<AddAddressPayload>
{
    public AddAddressPayloadType()
    {
        Name = "AddAddressPayload";
        Field<AddressType>("address").Description("The saved address; null when there are errors.").Resolve(ctx => ctx.Source.Address);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}

public sealed class RemoveAddressPayloadType : ObjectGraphType<RemoveAddressPayload>
{
    public RemoveAddressPayloadType()
    {
        Name = "RemoveAddressPayload";
        Field<IdGraphType>("removedId").Description("The id of the removed address; null when there are errors.").Resolve(ctx => ctx.Source.RemovedId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}
