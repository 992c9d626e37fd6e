using System.Globalization;
using System.Text.RegularExpressions;
using Federation.Testing.Processes;
using Npgsql;

namespace Federation.Testing.Servers;

/// <summary>
/// A throwaway PostgreSQL 15 cluster: initdb into a fresh folder, the server on a free loopback port with
/// durability switched off for speed, databases created on demand, everything removed on dispose.
/// </summary>
public sealed partial class PostgresServer : IAsyncDisposable
{
    /// <summary>Overrides <see cref="DefaultBinDirectory"/>.</summary>
    public const string BinDirectoryVariable = "FEDERATION_PG_BIN";
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";
    private const string ReadyLine = "database system is ready to accept connections";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly ChildProcess server;
    private readonly string folder;
    private int disposed;

    private PostgresServer(ChildProcess server, string folder, int port)
    {
        this.server = server;
        this.folder = folder;
        Port = port;
    }

    public string Host => "127.0.0.1";

    public int Port { get; }

    /// <summary>The cluster's data directory (also holds the unix socket).</summary>
    public string DataDirectory => Path.Combine(folder, "data");

    /// <summary>The server process, for its log.</summary>
    public ChildProcess Process => server;

    /// <summary>Npgsql connection string for <paramref name="database"/> as the superuser (trust auth).</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = Host,
            Port = Port,
            Username = "postgres",
            Database = database,
            IncludeErrorDetail = true,
        }.ConnectionString;

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var binDirectory = Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } configured ? configured : DefaultBinDirectory;
        if (!File.Exists(Path.Combine(binDirectory, "initdb")))
        {
            throw new InvalidOperationException(
                $"PostgreSQL server binaries are missing in {binDirectory}; install postgresql-15 (apt-get install -y postgresql-15) or set {BinDirectoryVariable}.");
        }

        var folder = TestDirectories.Create("pg");
        try
        {
            await GrantToPostgresUserAsync(folder, cancellationToken);
            var dataDirectory = Path.Combine(folder, "data");
            await RunToEndAsync(
                "initdb",
                AsPostgres(Path.Combine(binDirectory, "initdb"), ["-D", dataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync", "--no-instructions"], execInPlace: false),
                cancellationToken);

            var (process, port) = await FreePort.StartAsync(
                port =>
                {
                    var (file, arguments) = AsPostgres(Path.Combine(binDirectory, "postgres"), ServerArguments(dataDirectory, port), execInPlace: true);
                    return ChildProcess.Start($"postgres:{port}", file, arguments);
                },
                process => process.WaitForLineAsync(ReadyLine, StepTimeout, cancellationToken),
                process => process);
            return new PostgresServer(process, folder, port);
        }
        catch
        {
            TestDirectories.Delete(folder);
            throw;
        }
    }

    /// <summary>Creates <paramref name="name"/> unless it exists and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        if (!DatabaseName().IsMatch(name))
        {
            throw new ArgumentException($"'{name}' is not a plain database name (lower case letters, digits, underscores; at most 63).", nameof(name));
        }

        await using var connection = new NpgsqlConnection(ConnectionString() + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", name);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            try
            {
                // The name is validated above: CREATE DATABASE takes no parameters.
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another test created it at the same moment.
            }
        }

        return ConnectionString(name);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        if (!server.HasExited)
        {
            var binDirectory = Environment.GetEnvironmentVariable(BinDirectoryVariable) is { Length: > 0 } configured ? configured : DefaultBinDirectory;
            try
            {
                // Immediate mode skips the shutdown checkpoint: nothing in a throwaway cluster is worth writing.
                await RunToEndAsync("pg_ctl stop", AsPostgres(Path.Combine(binDirectory, "pg_ctl"), ["stop", "-D", DataDirectory, "-m", "immediate", "-w", "-t", "10"], execInPlace: false), CancellationToken.None);
            }
            catch (Exception exception) when (exception is InvalidOperationException or TimeoutException)
            {
                // Falls through to killing the process tree below.
            }
        }

        await server.DisposeAsync();
        TestDirectories.Delete(folder);
    }

    private static IEnumerable<string> ServerArguments(string dataDirectory, int port)
    {
        // Unix socket paths are limited to 107 bytes; over that, TCP alone is used.
        var socketDirectory = dataDirectory.Length + 20 < 100 ? dataDirectory : string.Empty;
        return
        [
            "-D", dataDirectory,
            "-p", port.ToString(CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1",
            "-c", $"unix_socket_directories={socketDirectory}",
            "-c", "max_connections=200",
            "-c", "shared_buffers=64MB",
            // Tests never need crash safety: skip every flush and write the least WAL possible.
            "-c", "fsync=off",
            "-c", "synchronous_commit=off",
            "-c", "full_page_writes=off",
            "-c", "wal_level=minimal",
            "-c", "max_wal_senders=0",
            "-c", "max_wal_size=1GB",
            "-c", "checkpoint_timeout=30min",
            "-c", "logging_collector=off",
        ];
    }

    private static async Task RunToEndAsync(string name, (string File, IEnumerable<string> Arguments) command, CancellationToken cancellationToken)
    {
        await using var process = ChildProcess.Start(name, command.File, command.Arguments);
        var exitCode = await process.WaitForExitAsync(StepTimeout, cancellationToken);
        if (exitCode != 0)
        {
            throw new InvalidOperationException($"{name} failed with exit code {exitCode}.\n{process.OutputTail()}");
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// PostgreSQL refuses to run as root. One-shot tools go through runuser; the server goes through setpriv,
    /// which execs in place, so the child we track is the postmaster itself rather than a forking wrapper.
    /// </summary>
    private static (string File, IEnumerable<string> Arguments) AsPostgres(string program, IEnumerable<string> arguments, bool execInPlace)
    {
        if (!IsRoot)
        {
            return (program, arguments);
        }

        return execInPlace
            ? (ChildProcess.Which("setpriv") ?? "setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", program, .. arguments])
            : (ChildProcess.Which("runuser") ?? "runuser", ["-u", "postgres", "--", program, .. arguments]);
    }

    private static async Task GrantToPostgresUserAsync(string folder, CancellationToken cancellationToken)
    {
        if (IsRoot)
        {
            await RunToEndAsync("chown", ("chown", ["postgres:postgres", folder]), cancellationToken);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex DatabaseName();
}
