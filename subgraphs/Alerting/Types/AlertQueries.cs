using Alerting.Data;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Alerting.Types;

public sealed class AlertQueries : IQueryFields
{
    public void AddFields(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertType>>>>("alerts")
            .RequiresScopes([Access.AdminScope])
            .Description("Alerts, newest raised first, for the operations dashboard.")
            .Argument<ListGraphType<NonNullGraphType<AlertStatusType>>>("status", "Only alerts in one of these statuses; all when omitted.")
            .Argument<IntGraphType>("first", $"How many, 0 to {Paging.MaxPageSize}; default {Paging.DefaultPageSize}.")
            .PageSize()
            .ResolveAsync(async ctx =>
            {
                ctx.RequireAdmin();
                var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
                var statuses = ctx.GetArgument<List<AlertStatus>?>("status");
                await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<AlertingDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
                var alerts = db.Alerts.AsNoTracking();
                if (statuses is not null)
                    alerts = alerts.Where(a => statuses.Contains(a.Status));
                return await alerts.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).Take(first).ToListAsync(ctx.CancellationToken);
            });
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<AlertRuleType>>>>("alertRules")
            .RequiresScopes([Access.AdminScope])
            .Description("The rules the alerting service evaluates, by id.")
            .ListSize(assumedSize: 10)
            .ResolveAsync(async ctx =>
            {
                ctx.RequireAdmin();
                await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<AlertingDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
                return await db.Rules.AsNoTracking().OrderBy(r => r.Id).ToListAsync(ctx.CancellationToken);
            });
    }
}
