using System.Globalization;
using Federation.Subgraph.Messaging.Hosting;
using Federation.Subgraph.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MessagingProbe;

// Test-only process for tests/Messaging.Tests: plays a publishing or consuming service so tests can SIGKILL it.
//   publish --db CS --bootstrap B --topic T --count N [--accounts A] [--prefix account] [--batch K] [--pause-ms P] [--poison 5,9] [--relay false] [--poll 00:00:02]
//   relay   --db CS --bootstrap B
//   consume --db CS --bootstrap B --topic T [--group G] [--max-attempts N]
if (args.Length == 0)
{
    Console.Error.WriteLine("usage: publish|relay|consume --db CS --bootstrap B ...");
    return 2;
}

var mode = args[0];
var options = ProbeOptions.Parse(args[1..]);
var builder = Host.CreateApplicationBuilder([]);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Kafka:BootstrapServers"] = options.Get("bootstrap"),
    ["Messaging:GroupId"] = options.Get("group", "probe"),
    ["Messaging:Relay:Enabled"] = (mode != "consume" && options.Get("relay", "true") == "true").ToString(),
    ["Messaging:Relay:PollInterval"] = options.Get("poll", "00:00:00.500"),
    ["Messaging:Consumer:MaxAttempts"] = options.Get("max-attempts", "5"),
    ["Messaging:Consumer:BatchSize"] = options.Get("batch-size", "100"),
    ["Messaging:Consumer:RetryBackoff"] = "00:00:00.020",
    ["Messaging:Consumer:SessionTimeoutMs"] = "2000",
});
builder.Services.AddPooledDbContextFactory<LedgerDbContext>(db => db.UseNpgsql(options.Get("db")));
builder.AddSubgraphMessaging<LedgerDbContext>("probe", messaging =>
{
    if (mode == "consume")
        messaging.Consume<LedgerEntryPosted, LedgerEntryPostedHandler>(options.Get("topic"), LedgerEntryPosted.EventType);
});

using var host = builder.Build();
var contexts = host.Services.GetRequiredService<IDbContextFactory<LedgerDbContext>>();
await using (var db = await contexts.CreateDbContextAsync())
    await db.Database.EnsureCreatedAsync();

await host.StartAsync();
var status = host.Services.GetRequiredService<MessagingStatus>();
var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
_ = Task.Run(() =>
{
    // Closing stdin stops the probe cleanly, and so does the test host's death.
    while (Console.In.ReadLine() is not null)
    {
    }
    lifetime.StopApplication();
});
_ = Task.Run(async () =>
{
    while (!lifetime.ApplicationStopping.IsCancellationRequested)
    {
        Console.WriteLine($"status applied={status.Applied} duplicates={status.Duplicates} deadLettered={status.DeadLettered} failures={status.HandlerFailures} published={status.Published} lag={status.TotalLag} p50={status.LatencyPercentile(50):0.0} p99={status.LatencyPercentile(99):0.0}");
        await Task.Delay(100);
    }
});

if (mode == "publish")
    await Publisher.PublishAsync(contexts, options);
if (mode is "publish" or "relay")
{
    await Publisher.WaitUntilDrainedAsync(contexts, lifetime.ApplicationStopping);
    Console.WriteLine("drained");
    await host.StopAsync();
    return 0;
}

await host.WaitForShutdownAsync();
return 0;

internal sealed class ProbeOptions(Dictionary<string, string> values)
{
    public static ProbeOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
            values[args[i].TrimStart('-')] = args[i + 1];
        return new ProbeOptions(values);
    }

    public string Get(string name, string? fallback = null) =>
        values.GetValueOrDefault(name) ?? fallback ?? throw new ArgumentException($"--{name} is required.");

    public int Number(string name, int fallback) =>
        values.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}

internal static class Publisher
{
    public static async Task PublishAsync(IDbContextFactory<LedgerDbContext> contexts, ProbeOptions options)
    {
        var topic = options.Get("topic");
        var count = options.Number("count", 100);
        var accounts = options.Number("accounts", 10);
        var prefix = options.Get("prefix", "account");
        var batch = options.Number("batch", 10);
        var pause = options.Number("pause-ms", 0);
        var poison = options.Get("poison", "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToHashSet();
        for (var start = 0; start < count; start += batch)
        {
            await using var db = await contexts.CreateDbContextAsync();
            await using var transaction = await db.Database.BeginTransactionAsync();
            for (var i = start; i < Math.Min(count, start + batch); i++)
            {
                var id = $"{prefix}-{i % accounts}";
                var account = await db.Accounts.FindAsync(id) ?? db.Accounts.Add(new Account { Id = id }).Entity;
                if (poison.Contains(i))
                {
                    Outbox.Add(db, topic, id, new LedgerEntryPosted(id, 1_000_000, 0, Poison: true));
                    continue;
                }

                var amount = (i * 7919L % 1000) + 1;
                account.Apply(amount, account.LastSequence + 1);
                Outbox.Add(db, topic, id, new LedgerEntryPosted(id, amount, account.LastSequence, Poison: false));
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            Console.WriteLine($"committed {Math.Min(count, start + batch)}");
            if (pause > 0)
                await Task.Delay(pause);
        }
    }

    public static async Task WaitUntilDrainedAsync(IDbContextFactory<LedgerDbContext> contexts, CancellationToken cancellationToken)
    {
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            if (!await db.Set<OutboxMessage>().AnyAsync(m => m.SentAt == null, cancellationToken))
                return;
            await Task.Delay(100, cancellationToken);
        }
    }
}
