using Federation.Subgraph.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace Alerting.Data;

public sealed class AlertByIdDataLoader(IDbContextFactory<AlertingDbContext> factory) : BatchDataLoader<int, Alert>
{
    protected override async Task<IReadOnlyDictionary<int, Alert>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Alerts.AsNoTracking().Where(a => keys.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
    }
}
