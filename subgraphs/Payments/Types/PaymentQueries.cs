using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;

namespace Payments.Types;

public sealed class PaymentQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<PaymentType>("payment")
            .Authenticated()
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Description("A payment for one of the signed-in user's orders (any payment for an admin); null when there is none with this id.")
            .Resolve(ctx => ctx.Owned(ctx.RequestServices!.GetRequiredService<PaymentByIdDataLoader>().Load(Ids.Parse(ctx.GetArgument<string>("id"), "id")), PaymentAccess.OwnerOf));
        query.Field<NonNullGraphType<PaymentStatsType>>("paymentStats")
            .RequiresScopes(["admin"])
            .Description("Succeeded and failed payments in a recent window, for the operations dashboard.")
            .Argument<IntGraphType>("minutes", $"The window, 1 to {PaymentStats.MaxMinutes} minutes up to now.", a => a.DefaultValue = PaymentStats.DefaultMinutes)
            .ResolveAsync(async ctx =>
            {
                ctx.RequireAdmin();
                var minutes = PaymentStats.ValidateMinutes(ctx.GetArgument("minutes", PaymentStats.DefaultMinutes));
                await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<PaymentsDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
                return await PaymentStats.LoadAsync(db, minutes, ctx.CancellationToken);
            });
        query.Field<NonNullGraphType<ConnectionType<PaymentType, Payment>>>("paymentFailures")
            .RequiresScopes(["admin"])
            .Description("Declined payments across all orders, newest first, for admins (keyset pagination: pass pageInfo.endCursor as 'after').")
            .PagingArguments()
            .ResolveAsync(async ctx =>
            {
                ctx.RequireAdmin();
                // ix_payments_failed_created_at_id, a partial index, serves the seek.
                return await KeysetConnection.ResolveNewestFirstAsync<PaymentsDbContext, Payment>(ctx, Failed);
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PaymentType>>>>("recentPaymentFailures")
            .RequiresScopes(["admin"])
            .DeprecationReason("Use paymentFailures, which pages.")
            .Description("The newest declined payments across all orders, newest first.")
            .Argument<IntGraphType>("first", $"How many, 0 to {Paging.MaxPageSize}; default {Paging.DefaultPageSize}.")
            .PageSize()
            .ResolveAsync(async ctx =>
            {
                ctx.RequireAdmin();
                var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
                await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<PaymentsDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
                return await KeysetConnection.NewestFirst(Failed(db), null).Take(first).ToListAsync(ctx.CancellationToken);
            });
    }

    private static IQueryable<Payment> Failed(PaymentsDbContext db) =>
        db.Payments.AsNoTracking().Where(p => p.Status == PaymentStatus.Failed);
}
