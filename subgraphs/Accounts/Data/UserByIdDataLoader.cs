using Federation.Subgraph.GraphQL;
using Microsoft.EntityFrameworkCore;

namespace Accounts.Data;

public sealed class UserByIdDataLoader(IDbContextFactory<AccountsDbContext> factory) : BatchDataLoader<int, User>
{
    protected override async Task<IReadOnlyDictionary<int, User>> FetchAsync(IReadOnlyCollection<int> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        return await db.Users.AsNoTracking().Where(u => keys.Contains(u.Id)).ToDictionaryAsync(u => u.Id, cancellationToken);
    }
}
