using Npgsql;

namespace Messaging.Tests;

/// <summary>Reads a probe database directly, the way an auditor would compare publisher and consumer.</summary>
internal static class Ledger
{
    public sealed record AccountRow(string Id, long Balance, int Entries, int LastSequence, int OutOfOrder);

    public sealed record OutboxRow(long Sequence, Guid EventId, string Key, bool Sent);

    public static async Task<List<AccountRow>> AccountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT id, balance, entries, last_sequence, out_of_order FROM accounts ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<AccountRow>();
        while (await reader.ReadAsync())
            rows.Add(new AccountRow(reader.GetString(0), reader.GetInt64(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4)));
        return rows;
    }

    public static async Task<List<OutboxRow>> OutboxAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT sequence, event_id, key, sent_at IS NOT NULL FROM outbox_messages ORDER BY sequence", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<OutboxRow>();
        while (await reader.ReadAsync())
            rows.Add(new OutboxRow(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetBoolean(3)));
        return rows;
    }

    // Table names come from the tests themselves, never from input.
    public static Task<long> CountAsync(string connectionString, string table) => ScalarAsync<long>(connectionString, $"SELECT count(*) FROM {table}");

    /// <summary>One value of a statement the test itself wrote.</summary>
    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Polls until the consumer's accounts equal the publisher's, or the timeout passes.</summary>
    public static async Task<List<AccountRow>> WaitUntilEqualAsync(string publisher, string consumer, TimeSpan timeout)
    {
        var expected = await AccountsAsync(publisher);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var actual = await AccountsAsync(consumer);
            if (actual.SequenceEqual(expected) || DateTime.UtcNow > deadline)
                return actual;
            await Task.Delay(100);
        }
    }
}
