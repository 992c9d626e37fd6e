using System.Globalization;
using Alerting.Data;
using Alerting.Events;
using Federation.Subgraph.GraphQL;
using Federation.Subgraph.Messaging.Outbox;
using Federation.Subgraph.Security;
using GraphQL;
using GraphQL.Types;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Alerting.Types;

public sealed record AcknowledgeAlertPayload(Alert? Alert, IReadOnlyList<UserError> Errors);

public sealed class AlertMutations : IMutationFields
{
    public void AddFields(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AcknowledgeAlertPayloadType>>("acknowledgeAlert")
            .RequiresScopes([Access.AdminScope])
            .Description("Acknowledges an open alert: it stays unresolved until its condition clears. Acknowledging it again, or a resolved alert, changes nothing and is not an error; an unknown id is NOT_FOUND.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await AcknowledgeAsync(ctx, ctx.GetArgument<string>("id")));
    }

    private static async Task<AcknowledgeAlertPayload> AcknowledgeAsync(IResolveFieldContext ctx, string alertId)
    {
        ctx.RequireAdmin();
        var adminId = ctx.SignedInUserId();
        if (!Ids.TryParse(alertId, out var id))
            return new AcknowledgeAlertPayload(null, [UserError.Validation($"'{alertId}' is not an alert id.", "id")]);

        await using var db = await ctx.RequestServices!.GetRequiredService<IDbContextFactory<AlertingDbContext>>().CreateDbContextAsync(ctx.CancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(ctx.CancellationToken);
        // Only an open alert changes, in the statement that checks it: the first acknowledgement wins, and one the
        // evaluator resolved meanwhile stays resolved.
        var now = DateTimeOffset.UtcNow;
        var changed = await db.Alerts.Where(a => a.Id == id && a.Status == AlertStatus.Open)
            .ExecuteUpdateAsync(set => set
                .SetProperty(a => a.Status, AlertStatus.Acknowledged)
                .SetProperty(a => a.AcknowledgedAt, now)
                .SetProperty(a => a.AcknowledgedBy, adminId), ctx.CancellationToken);
        var alert = await db.Alerts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ctx.CancellationToken);
        if (alert is null)
            return new AcknowledgeAlertPayload(null, [UserError.NotFound($"Alert {id} does not exist.", "id")]);

        if (changed == 1)
        {
            Outbox.Add(db, AlertingTopics.Alert, alert.Id.ToString(CultureInfo.InvariantCulture), AlertAcknowledged.From(alert), now);
            await db.SaveChangesAsync(ctx.CancellationToken);
        }

        await transaction.CommitAsync(ctx.CancellationToken);
        return new AcknowledgeAlertPayload(alert, []);
    }
}

public sealed class AcknowledgeAlertPayloadType : ObjectGraphType<AcknowledgeAlertPayload>
{
    public AcknowledgeAlertPayloadType()
    {
        Name = "AcknowledgeAlertPayload";
        Field<AlertType>("alert").Description("The alert as saved; null when there are errors.").Resolve(ctx => ctx.Source.Alert);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<UserErrorType>>>>("errors").Resolve(ctx => ctx.Source.Errors);
    }
}
