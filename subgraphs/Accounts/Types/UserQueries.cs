using System.Globalization;
using Accounts.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Accounts.Types;

public sealed class UserQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<UserType>("user")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<UserByIdDataLoader>().Load(Ids.Parse(ctx.GetArgument<string>("id"), "id")));

        query.Field<UserType>("viewer")
            .Description("The signed-in user; null for an anonymous caller.")
            .Resolve(ctx => ctx.Caller().IsSignedIn
                ? ctx.RequestServices!.GetRequiredService<UserByIdDataLoader>().Load(ctx.SignedInUserId())
                : null);

        query.Field<NonNullGraphType<ConnectionType<UserType, User>>>("users")
            .RequiresScopes(["admin"])
            .Description("Every user by id, for admins, a page at a time (keyset pagination: pass pageInfo.endCursor as 'after').")
            .Argument<IntGraphType>("first", $"Page size, 0 to {Paging.MaxPageSize}; default {Paging.DefaultPageSize}.")
            .Argument<StringGraphType>("after")
            .ConnectionSize()
            .ResolveAsync(async ctx =>
            {
                ctx.RequireAdmin();
                return await UsersAsync(ctx);
            });
    }

    private static async Task<Connection<User>> UsersAsync(IResolveFieldContext ctx)
    {
        var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
        var after = ctx.GetArgument<string?>("after");
        var afterId = after is null ? 0 : Cursor.Decode(after).Id;
        var factory = ctx.RequestServices!.GetRequiredService<IDbContextFactory<AccountsDbContext>>();

        var rows = new List<User>();
        if (first > 0)
        {
            await using var db = await factory.CreateDbContextAsync(ctx.CancellationToken);
            // Never the password hash: the projection leaves it out of the SELECT.
            rows = await db.Users.AsNoTracking().Where(u => u.Id > afterId).OrderBy(u => u.Id).Take(first + 1)
                .Select(u => new User { Id = u.Id, Email = u.Email, Name = u.Name, CreatedAt = u.CreatedAt })
                .ToListAsync(ctx.CancellationToken);
        }

        var edges = rows.Take(first).Select(u => new Edge<User>(Cursor.Encode(u.Id.ToString(CultureInfo.InvariantCulture), u.Id), u)).ToList();
        return new Connection<User>(edges, rows.Count > first, after is not null, async cancellationToken =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await db.Users.CountAsync(cancellationToken);
        });
    }
}
