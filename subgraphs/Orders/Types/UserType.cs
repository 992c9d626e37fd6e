using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Orders.Data;
using Orders.Domain;

namespace Orders.Types;

/// <summary>Accounts owns User; orders adds the user's order history, found by user_id.</summary>
public sealed class UserType : EntityReferenceType<UserType>
{
    public UserType() : base("User")
    {
        Field<ConnectionType<OrderType, Order>>("orders")
            .Authenticated()
            .Description("The user's orders, newest first; only the user and admins may read them (keyset pagination: pass pageInfo.endCursor as 'after').")
            .PagingArguments()
            .Resolve(ctx =>
            {
                ctx.RequireOwner(ctx.Source.Id);
                var services = ctx.RequestServices!;
                var userId = ctx.Source.Id;
                return KeysetConnection.Resolve(ctx, services.GetRequiredService<UserOrdersDataLoader>(), new AllRows(), userId,
                    () => services.GetRequiredService<UserOrderCountDataLoader>().Load(userId));
            });
    }
}
