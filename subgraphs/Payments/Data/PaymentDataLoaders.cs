using Federation.Subgraph.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace Payments.Data;

public sealed class PaymentByIdDataLoader(IDbContextFactory<PaymentsDbContext> factory) : BatchDataLoader<int, Payment>
{
    protected override async Task<IReadOnlyDictionary<int, Payment>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Payments.AsNoTracking().Where(p => keys.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
    }
}

public sealed class PaymentByOrderIdDataLoader(IDbContextFactory<PaymentsDbContext> factory) : BatchDataLoader<int, Payment>
{
    protected override async Task<IReadOnlyDictionary<int, Payment>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Payments.AsNoTracking().Where(p => keys.Contains(p.OrderId)).ToDictionaryAsync(p => p.OrderId, cancellationToken);
    }
}
