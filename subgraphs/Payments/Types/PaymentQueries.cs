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
                return await KeysetConnection.ResolveNewestFirstAsync<PaymentsDbContext, Payment>(ctx, FailuresPageAsync,
                    (db, cancellationToken) => Failed(db).CountAsync(cancellationToken), p => new KeysetPosition(p.CreatedAt, p.Id));
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
                return await FailuresPageAsync(db, null, first, ctx.CancellationToken);
            });
    }

    private static IQueryable<Payment> Failed(PaymentsDbContext db) =>
        db.Payments.AsNoTracking().Where(p => p.Status == PaymentStatus.Failed);

    // The (created_at, id) row comparison is the seek the ix_payments_failed_created_at_id partial index answers.
    private static Task<List<Payment>> FailuresPageAsync(PaymentsDbContext db, KeysetPosition? after, int take, CancellationToken cancellationToken)
    {
        var failed = Failed(db);
        if (after is { } position)
            failed = failed.Where(p => EF.Functions.LessThan(ValueTuple.Create(p.CreatedAt, p.Id), ValueTuple.Create(position.At, position.Id)));
        return failed.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Take(take).ToListAsync(cancellationToken);
    }
}
