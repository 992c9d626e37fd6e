using System.Globalization;
using Federation.Testing.Subgraphs;
using Npgsql;

namespace Messaging.Tests;

/// <summary>Measures and waits for events crossing from one service's database to another's.</summary>
internal static class Propagation
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);

    /// <summary>Publisher outbox occurred_at to consumer inbox processed_at in milliseconds, joined on the event id.</summary>
    public static async Task<List<double>> LatenciesAsync(string publisherDb, string consumerDb, string eventType, DateTimeOffset? since = null)
    {
        var occurred = new Dictionary<Guid, DateTimeOffset>();
        await using (var connection = new NpgsqlConnection(publisherDb))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT event_id, occurred_at FROM outbox_messages WHERE type = @type AND occurred_at >= @since", connection);
            command.Parameters.AddWithValue("type", eventType);
            command.Parameters.AddWithValue("since", since ?? DateTimeOffset.MinValue);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                occurred[reader.GetGuid(0)] = reader.GetFieldValue<DateTimeOffset>(1);
        }

        var latencies = new List<double>();
        await using (var connection = new NpgsqlConnection(consumerDb))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT event_id, processed_at FROM inbox_messages WHERE type = @type", connection);
            command.Parameters.AddWithValue("type", eventType);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (occurred.TryGetValue(reader.GetGuid(0), out var at))
                    latencies.Add((reader.GetFieldValue<DateTimeOffset>(1) - at).TotalMilliseconds);
            }
        }
        return latencies;
    }

    public static double Percentile(List<double> values, double percentile)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Clamp(Math.Ceiling(percentile / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        // The SQL is written in the tests themselves.
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Waits until <paramref name="count"/> reaches <paramref name="target"/>, and fails only when it stopped moving for
    /// the timeout: a backlog of thousands of events takes as long as the machine makes it (a 2-core CI runner beside the
    /// gateway suite folds them several times slower than a quiet one), while a consumer that stalled still fails.
    /// Returns how long the wait took.
    /// </summary>
    public static async Task<TimeSpan> WaitForCountAsync(Func<Task<long>> count, long target, string what, params SubgraphProcess[] services)
    {
        var started = DateTime.UtcNow;
        var last = await count();
        var movedAt = DateTime.UtcNow;
        while (last < target)
        {
            if (DateTime.UtcNow - movedAt > Timeout)
                Fail($"{what} ({last} of {target}, no progress for {Timeout.TotalSeconds:0} s)", services);
            await Task.Delay(100);
            var now = await count();
            if (now != last)
                (last, movedAt) = (now, DateTime.UtcNow);
        }
        return DateTime.UtcNow - started;
    }

    /// <summary>Polls <paramref name="condition"/>; on timeout the failure shows the warnings and errors the services logged.</summary>
    public static Task WaitForAsync(Func<Task<bool>> condition, string what, params SubgraphProcess[] services) =>
        WaitForAsync(condition, what, Timeout, services);

    /// <inheritdoc cref="WaitForAsync(Func{Task{bool}}, string, SubgraphProcess[])"/>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what, TimeSpan timeout, params SubgraphProcess[] services)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                Fail(what, services);
            await Task.Delay(100);
        }
    }

    /// <summary>Fails the test naming what it waited for, with the warnings and errors the services logged.</summary>
    private static void Fail(string what, SubgraphProcess[] services)
    {
        var problems = services.SelectMany(service => service.Process.Output
            .Select(line => line.Text)
            .Where(text => text.StartsWith("warn", StringComparison.Ordinal) || text.StartsWith("fail", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal))
            .TakeLast(8)
            .Select(text => $"{service.Project}: {(text.Length > 600 ? text[..600] : text)}"));
        Assert.Fail($"Timed out waiting for {what}.\n{string.Join('\n', problems)}");
    }
}
