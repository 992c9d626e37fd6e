using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Orders.Data;

namespace Orders.Types;

public sealed class OrderQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<OrderType>("order")
            .Authenticated()
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Description("An order of the signed-in user (any order for an admin); null when there is none with this id.")
            .Resolve(ctx => ctx.Owned(ctx.RequestServices!.GetRequiredService<OrderByIdDataLoader>().Load(Ids.Parse(ctx.GetArgument<string>("id"), "id")), o => o.UserId));
        query.Field<NonNullGraphType<OrderStatsType>>("orderStats")
            .RequiresScopes(["admin"])
            .Description("Per-minute order counts for the operations dashboard.")
            .Argument<IntGraphType>("minutes", $"The window, 1 to {OrderStats.MaxMinutes} minutes up to now.", a => a.DefaultValue = OrderStats.DefaultMinutes)
            .ListSize(slicingArguments: ["minutes"], sizedFields: ["buckets"], requireOneSlicingArgument: false)
            .ResolveAsync(async ctx =>
            {
                ctx.RequireAdmin();
                var minutes = OrderStats.ValidateMinutes(ctx.GetArgument("minutes", OrderStats.DefaultMinutes));
                await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<OrdersDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
                return await OrderStats.LoadAsync(db, minutes, ctx.CancellationToken);
            });
        query.Field<NonNullGraphType<SalesStatsType>>("salesStats")
            .RequiresScopes(["admin"])
            .Description("Orders, revenue and average order value over a recent window, in buckets, for the operations dashboard.")
            .Argument<NonNullGraphType<IntGraphType>>("minutes", $"The window, 1 to {SalesStats.MaxMinutes} minutes up to now.")
            .Argument<NonNullGraphType<IntGraphType>>("bucketMinutes", $"Each bucket's length; it divides 'minutes', into at most {SalesStats.MaxBuckets} buckets.")
            .ResolveAsync(async ctx =>
            {
                ctx.RequireAdmin();
                var (minutes, bucketMinutes) = SalesStats.Validate(ctx.GetArgument<int>("minutes"), ctx.GetArgument<int>("bucketMinutes"));
                await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<OrdersDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
                return await SalesStats.LoadAsync(db, minutes, bucketMinutes, ctx.CancellationToken);
            });
    }
}
