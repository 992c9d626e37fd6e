using Federation.Subgraph.GraphQL;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Reviews.Data;

namespace Reviews.Types;

/// <summary>The <c>reviews</c> connection of Product and User: keyset pages, newest first, batched across owners.</summary>
public static class ReviewConnections
{
    public static void AddField<TOwnerType>(EntityReferenceType<TOwnerType> type, string description, ReviewOwner owner)
        where TOwnerType : EntityReferenceType<TOwnerType>
    {
        type.Field<ConnectionType<ReviewType, Review>>("reviews")
            .Description(description + " Keyset pagination: pass pageInfo.endCursor as 'after'.")
            .PagingArguments()
            .Resolve(ctx =>
            {
                var services = ctx.RequestServices!;
                var ownerId = ctx.Source.Id;
                return KeysetConnection.Resolve(ctx, services.GetRequiredService<ReviewPageDataLoader>(), owner, ownerId,
                    () => services.GetRequiredService<ReviewCountDataLoader>().Load((owner, ownerId)));
            });
    }
}
