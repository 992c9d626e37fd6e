using Federation.Testing.Fixtures;
using Npgsql;

namespace Infrastructure.Tests;

public sealed class PostgresServerTests(PostgresFixture fixture) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task CreateDatabaseAsync_Should_IsolateData_When_TwoDatabasesAreCreated()
    {
        // arrange
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var first = await fixture.CreateDatabaseAsync($"first_{suffix}");
        var second = await fixture.CreateDatabaseAsync($"second_{suffix}");
        await ExecuteAsync(first, "CREATE TABLE item (name text); INSERT INTO item VALUES ('in first')");
        await ExecuteAsync(second, "CREATE TABLE item (name text); INSERT INTO item VALUES ('in second')");

        // act
        var fromFirst = await QueryAsync(first, "SELECT current_database() || ':' || string_agg(name, ',') FROM item");
        var fromSecond = await QueryAsync(second, "SELECT current_database() || ':' || string_agg(name, ',') FROM item");

        // assert
        Assert.Equal($"first_{suffix}:in first", fromFirst);
        Assert.Equal($"second_{suffix}:in second", fromSecond);
    }

    [Fact]
    public async Task CreateDatabaseAsync_Should_KeepData_When_CalledTwiceWithTheSameName()
    {
        // arrange
        var name = $"again_{Guid.NewGuid():N}"[..14];
        var connectionString = await fixture.CreateDatabaseAsync(name);
        await ExecuteAsync(connectionString, "CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)");

        // act
        var again = await fixture.CreateDatabaseAsync(name);

        // assert
        Assert.Equal(connectionString, again);
        Assert.Equal("7", await QueryAsync(again, "SELECT id::text FROM kept"));
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("x\"; DROP DATABASE postgres; --")]
    [InlineData("")]
    public async Task CreateDatabaseAsync_Should_Throw_When_NameIsNotPlain(string name)
    {
        // act
        var exception = await Assert.ThrowsAsync<ArgumentException>(() => fixture.CreateDatabaseAsync(name));

        // assert
        Assert.Contains("not a plain database name", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_Should_RunWithoutDurability_When_StartedForTests()
    {
        // act
        var fsync = await QueryAsync(fixture.Postgres.ConnectionString(), "SHOW fsync");
        var listen = await QueryAsync(fixture.Postgres.ConnectionString(), "SHOW listen_addresses");

        // assert
        Assert.Equal("off", fsync);
        Assert.Equal("127.0.0.1", listen);
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> QueryAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (string?)await command.ExecuteScalarAsync();
    }
}
