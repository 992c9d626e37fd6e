using Alerting.Rules;
using Microsoft.EntityFrameworkCore;

namespace Alerting.Data;

/// <summary>Writes the configured rules into the rules table at start; rows configuration does not name stay as they are.</summary>
public sealed class AlertRulesSeed(AlertingOptions options)
{
    public async Task SeedAsync(AlertingDbContext db, CancellationToken cancellationToken)
    {
        var configured = options.Rules.Select(entry => entry.Value.ToRule(entry.Key)).ToList();
        var ids = configured.Select(r => r.Id).ToList();
        var existing = await db.Rules.Where(r => ids.Contains(r.Id)).ToDictionaryAsync(r => r.Id, cancellationToken);
        foreach (var rule in configured)
        {
            if (existing.TryGetValue(rule.Id, out var row))
                db.Entry(row).CurrentValues.SetValues(rule);
            else
                db.Rules.Add(rule);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
