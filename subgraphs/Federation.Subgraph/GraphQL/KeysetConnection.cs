using System.Globalization;
using GraphQL;
using GraphQL.DataLoader;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Federation.Subgraph.GraphQL;

/// <summary>Where a row stands in a newest-first list: its timestamp, then its id to break ties.</summary>
public readonly record struct KeysetPosition(DateTimeOffset At, int Id)
{
    public string ToCursor() => Cursor.Encode(At.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), Id);

    public static KeysetPosition Parse(string cursor, string argumentName = "after")
    {
        var (value, id) = Cursor.Decode(cursor, argumentName);
        if (DateTimeOffset.TryParseExact(value, "O", CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) && id is > 0 and <= int.MaxValue)
            return new KeysetPosition(at.ToUniversalTime(), (int)id);
        throw new ExecutionError($"The '{argumentName}' cursor is not valid. Pass an endCursor from a previous page.") { Code = "BAD_CURSOR" };
    }
}

/// <summary>A row a root connection lists newest first: by its creation time, then its id to break ties.</summary>
public interface INewestFirstRow
{
    int Id { get; }

    DateTimeOffset CreatedAt { get; }
}

/// <summary>The scope of a connection that lists all of an owner's rows (no filter, one owner column).</summary>
public readonly record struct AllRows;

/// <summary>
/// One page of one owner's rows, newest first, strictly after <paramref name="After"/> when given.
/// <paramref name="Scope"/> is what decides the statement (a filter, which owner column); pages that share it,
/// their size and their position are read together.
/// </summary>
public sealed record KeysetPage<TScope>(TScope Scope, int OwnerId, int Take, KeysetPosition? After);

/// <summary>
/// Pages of many owners' rows in one statement: a LATERAL subquery per owner id reads just that owner's page
/// from the (owner column, sort column, id) index, so a batch of owners never turns into N queries and no page
/// is read with OFFSET.
/// </summary>
public abstract class KeysetPageDataLoader<TDbContext, TScope, TRow>(IDbContextFactory<TDbContext> factory)
    : BatchDataLoader<KeysetPage<TScope>, IReadOnlyList<TRow>>
    where TDbContext : DbContext
    where TRow : class
{
    /// <summary>Table and column names are spliced into the SQL text: return constants, never input.</summary>
    protected abstract string Table { get; }

    protected abstract string SortColumn { get; }

    protected abstract string OwnerColumn(TScope scope);

    /// <summary>Extra conditions (<c>AND ...</c>) the scope adds, empty by default.</summary>
    protected virtual string Filter(TScope scope) => "";

    protected abstract DbSet<TRow> Rows(TDbContext db);

    protected abstract int OwnerOf(TRow row, TScope scope);

    public abstract KeysetPosition PositionOf(TRow row);

    protected override async Task<IReadOnlyDictionary<KeysetPage<TScope>, IReadOnlyList<TRow>>> FetchAsync(IReadOnlyCollection<KeysetPage<TScope>> keys, CancellationToken cancellationToken)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var result = new Dictionary<KeysetPage<TScope>, IReadOnlyList<TRow>>();
        // Siblings in one _entities call share their arguments, so this is one statement per call.
        foreach (var group in keys.GroupBy(k => (k.Scope, k.Take, k.After)))
        {
            var (scope, take, after) = group.Key;
            var ownerIds = group.Select(k => k.OwnerId).Distinct().ToArray();
            var seek = after is null ? "" : $"AND ({SortColumn}, id) < ({{2}}, {{3}})";
            var sql = $$"""
                SELECT t.* FROM unnest({0}) AS o(id)
                CROSS JOIN LATERAL (
                  SELECT * FROM {{Table}} WHERE {{OwnerColumn(scope)}} = o.id {{Filter(scope)}} {{seek}}
                  ORDER BY {{SortColumn}} DESC, id DESC LIMIT {1}) AS t
                """;
            object[] parameters = after is { } position ? [ownerIds, take, position.At, position.Id] : [ownerIds, take];
            var rows = await Rows(db).FromSqlRaw(sql, parameters).AsNoTracking().ToListAsync(cancellationToken);
            var byOwner = rows.GroupBy(r => OwnerOf(r, scope)).ToDictionary(
                g => g.Key,
                g => g.OrderByDescending(r => PositionOf(r).At).ThenByDescending(r => PositionOf(r).Id).ToList());
            foreach (var key in group)
                result[key] = byOwner.GetValueOrDefault(key.OwnerId) ?? [];
        }
        return result;
    }
}

public static class KeysetConnection
{
    /// <summary>
    /// Resolves a newest-first connection field with <c>first</c> and <c>after</c> (see <see cref="Paging.PagingArguments"/>):
    /// the page comes from <paramref name="pages"/> batched with every sibling owner, and <paramref name="totalCount"/>
    /// is registered only when the selection asks for totalCount.
    /// </summary>
    public static IDataLoaderResult<Connection<TRow>> Resolve<TDbContext, TScope, TRow>(
        IResolveFieldContext context,
        KeysetPageDataLoader<TDbContext, TScope, TRow> pages,
        TScope scope,
        int ownerId,
        Func<IDataLoaderResult<int>> totalCount)
        where TDbContext : DbContext
        where TRow : class
    {
        var first = Paging.PageSize(context.GetArgument<int?>("first"));
        var after = context.GetArgument<string?>("after");
        var position = after is null ? (KeysetPosition?)null : KeysetPosition.Parse(after);
        // Registered now, alongside every sibling owner, so totalCount is one grouped query for the batch.
        var count = Selection.FieldsAt(context).Contains("totalCount") ? totalCount() : null;
        Func<CancellationToken, Task<int>> countAsync = async cancellationToken => count is null ? 0 : await count.GetResultAsync(cancellationToken);

        var page = first == 0
            ? new CompletedDataLoaderResult<IReadOnlyList<TRow>?>([])
            : pages.Load(new KeysetPage<TScope>(scope, ownerId, first + 1, position));
        return page.Map(rows =>
        {
            rows ??= [];
            var edges = rows.Take(first).Select(r => new Edge<TRow>(pages.PositionOf(r).ToCursor(), r)).ToList();
            return new Connection<TRow>(edges, rows.Count > first, after is not null, countAsync);
        });
    }

    /// <summary>
    /// Resolves a root newest-first connection with <c>first</c> and <c>after</c> over <paramref name="rows"/> (a table, or
    /// a filtered one): the page is a seek strictly after the cursor's (created_at, id), the row comparison a
    /// (created_at, id) index answers; totalCount counts <paramref name="rows"/> only when selected, on its own DbContext.
    /// </summary>
    public static async Task<Connection<TRow>> ResolveNewestFirstAsync<TDbContext, TRow>(IResolveFieldContext context, Func<TDbContext, IQueryable<TRow>> rows)
        where TDbContext : DbContext
        where TRow : class, INewestFirstRow
    {
        var first = Paging.PageSize(context.GetArgument<int?>("first"));
        var after = context.GetArgument<string?>("after");
        var position = after is null ? (KeysetPosition?)null : KeysetPosition.Parse(after);
        var factory = context.RequestServices!.GetRequiredService<IDbContextFactory<TDbContext>>();

        var page = new List<TRow>();
        if (first > 0)
        {
            await using var db = await factory.CreateDbContextAsync(context.CancellationToken);
            page = await NewestFirst(rows(db), position).Take(first + 1).ToListAsync(context.CancellationToken);
        }

        var edges = page.Take(first).Select(r => new Edge<TRow>(new KeysetPosition(r.CreatedAt, r.Id).ToCursor(), r)).ToList();
        return new Connection<TRow>(edges, page.Count > first, after is not null, async cancellationToken =>
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            return await rows(db).CountAsync(cancellationToken);
        });
    }

    /// <summary><paramref name="rows"/> newest first by (created_at, id), strictly after <paramref name="after"/> when given.</summary>
    public static IQueryable<TRow> NewestFirst<TRow>(IQueryable<TRow> rows, KeysetPosition? after)
        where TRow : class, INewestFirstRow
    {
        if (after is { } position)
            rows = rows.Where(r => EF.Functions.LessThan(ValueTuple.Create(r.CreatedAt, r.Id), ValueTuple.Create(position.At, position.Id)));
        return rows.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id);
    }
}
