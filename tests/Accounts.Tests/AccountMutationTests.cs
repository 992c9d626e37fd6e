using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Federation.Testing.Subgraphs;
using Npgsql;

namespace Accounts.Tests;

/// <summary>Each test registers its own fresh email, so what it reads back is its own.</summary>
[Collection(AccountsCollection.Name)]
public sealed class AccountMutationTests(AccountsFixture fixture)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private const string Register = """
        mutation Register($input: RegisterInput!) {
          register(input: $input) { user { id email name } errors { code message field } }
        }
        """;

    private const string Login = """
        mutation Login($input: LoginInput!) {
          login(input: $input) { token expiresAt user { id email } errors { code message field } }
        }
        """;

    [Fact]
    public async Task Register_Should_CreateAccountThatCanLogIn_When_InputValid()
    {
        // arrange
        var email = $"New.{Guid.NewGuid():N}@Example.com";

        // act
        var registered = await fixture.DataAsync(Register, new { input = new { email = "  " + email + " ", name = " Zoe Tester ", password = "s3cret-enough" } });
        var login = await fixture.DataAsync(Login, new { input = new { email = email.ToUpperInvariant(), password = "s3cret-enough" } });

        // assert
        var payload = registered["register"]!;
        Assert.Empty(payload["errors"]!.AsArray());
        Assert.Equal(email.ToLowerInvariant(), payload["user"]!["email"]!.GetValue<string>());
        Assert.Equal("Zoe Tester", payload["user"]!["name"]!.GetValue<string>());
        Assert.True(int.Parse(payload["user"]!["id"]!.GetValue<string>()) > 50, "new users get ids after the seeded ones");
        Assert.Empty(login["login"]!["errors"]!.AsArray());
        Assert.Equal(payload["user"]!["id"]!.GetValue<string>(), login["login"]!["user"]!["id"]!.GetValue<string>());
        var stored = await ScalarAsync<string>("SELECT password_hash FROM users WHERE email = @email", email.ToLowerInvariant());
        Assert.StartsWith($"pbkdf2-sha256${AccountsSettings.PasswordIterations}$", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-enough", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_Should_ReturnEveryValidationErrorAndWriteNothing_When_InputInvalid()
    {
        // arrange
        var input = new { email = "zz-invalid-at-example.com", name = "   ", password = "short" };

        // act
        var data = await fixture.DataAsync(Register, new { input });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM users WHERE email LIKE 'zz-invalid%'", ""));
    }

    [Theory]
    [InlineData("alllettersonly", "password")]
    [InlineData("12345678901", "password")]
    [InlineData("plain", "email")]
    [InlineData("Bob <bob@example.com>", "email")]
    [InlineData("nodot@localhost", "email")]
    public async Task Register_Should_RejectField_When_ValueInvalid(string value, string field)
    {
        // arrange
        var email = field == "email" ? value : $"{Guid.NewGuid():N}@example.com";
        var password = field == "password" ? value : "Password123!";

        // act
        var data = await fixture.DataAsync(Register, new { input = new { email, name = "Val Idation", password } });

        // assert
        var error = Assert.Single(data["register"]!["errors"]!.AsArray());
        Assert.Equal("VALIDATION", error!["code"]!.GetValue<string>());
        Assert.Equal(["input", field], error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Null(data["register"]!["user"]);
    }

    [Fact]
    public async Task Register_Should_ReturnConflict_When_EmailTakenInAnotherCase()
    {
        // act
        var data = await fixture.DataAsync(Register, new { input = new { email = "USER3@example.com", name = "Impostor", password = "Password123!" } });

        // assert
        var error = Assert.Single(data["register"]!["errors"]!.AsArray());
        Assert.Equal("CONFLICT", error!["code"]!.GetValue<string>());
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM users WHERE email = @email", "user3@example.com"));
    }

    [Fact]
    public async Task Register_Should_CreateOneAccount_When_SameEmailRegisteredConcurrently()
    {
        // arrange
        var email = $"race.{Guid.NewGuid():N}@example.com";

        // act
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            fixture.DataAsync(Register, new { input = new { email, name = "Racer", password = "Password123!" } })));

        // assert
        Assert.Single(results, r => r["register"]!["user"] is not null);
        Assert.All(results.Where(r => r["register"]!["user"] is null),
            r => Assert.Equal("CONFLICT", r["register"]!["errors"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM users WHERE email = @email", email));
    }

    [Fact]
    public async Task Login_Should_ReturnTokenSignedWithPublishedKey_When_DemoCredentialsGiven()
    {
        // act
        var data = await fixture.DataAsync(Login, new { input = new { email = SessionOperations.DemoShopperEmail, password = SessionOperations.DemoShopperPassword } });

        // assert
        var payload = data["login"]!;
        Assert.Empty(payload["errors"]!.AsArray());
        var validation = await fixture.ValidateAsync(payload["token"]!.GetValue<string>());
        Assert.True(validation.IsValid, validation.Exception?.Message);
        Assert.Equal("1", validation.Claims["sub"]);
        Assert.Equal(SessionOperations.DemoShopperEmail, validation.Claims["email"]);
        var expiresAt = payload["expiresAt"]!.GetValue<DateTime>();
        Assert.InRange(expiresAt, DateTime.UtcNow.AddMinutes(14), DateTime.UtcNow.AddMinutes(16));
    }

    [Fact]
    public async Task Login_Should_FailTokenValidation_When_CheckedWithAnotherKey()
    {
        // arrange
        using var otherKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);

        // act
        var data = await fixture.DataAsync(Login, new { input = new { email = SessionOperations.DemoShopperEmail, password = SessionOperations.DemoShopperPassword } });

        // assert
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(data["login"]!["token"]!.GetValue<string>(), new TokenValidationParameters
        {
            ValidIssuer = AccountsFixture.Issuer,
            ValidAudience = AccountsFixture.Audience,
            IssuerSigningKey = new ECDsaSecurityKey(otherKey),
            TryAllIssuerSigningKeys = true,
        });
        Assert.False(validation.IsValid);
        Assert.IsType<SecurityTokenSignatureKeyNotFoundException>(validation.Exception);
    }

    [Theory]
    [InlineData("user12@example.com", "Password123?")]
    [InlineData("nobody.here@example.com", "Password123!")]
    [InlineData("user12@example.com", "Password123!")]
    [InlineData(SessionOperations.DemoShopperEmail, "Password123!")]
    public async Task Login_Should_ReturnSameUnauthenticatedError_When_CredentialsWrong(string email, string password)
    {
        // act
        var response = await fixture.QueryFromAsync(AccountsFixture.NewClientAddress(), Login, new { input = new { email, password } });

        // assert
        var payload = response["data"]!["login"]!;
        Assert.Null(payload["token"]);
        Assert.Null(payload["user"]);
        var error = Assert.Single(payload["errors"]!.AsArray());
        Assert.Equal("UNAUTHENTICATED", error!["code"]!.GetValue<string>());
        Assert.Equal("Email or password is incorrect.", error["message"]!.GetValue<string>());
        Assert.Null(error["field"]);
    }

    [Fact]
    public async Task Login_Should_RehashWithCurrentIterations_When_StoredHashIsOlder()
    {
        // arrange
        var email = $"legacy.{Guid.NewGuid():N}@example.com";
        await fixture.DataAsync(Register, new { input = new { email, name = "Legacy Hash", password = "Old-password-1" } });
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2("Old-password-1", salt, 1_000, HashAlgorithmName.SHA256, 32);
        await ExecuteAsync("UPDATE users SET password_hash = @hash WHERE email = @email", email, $"pbkdf2-sha256$1000${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");

        // act
        var login = await fixture.DataAsync(Login, new { input = new { email, password = "Old-password-1" } });

        // assert
        Assert.Empty(login["login"]!["errors"]!.AsArray());
        var stored = await ScalarAsync<string>("SELECT password_hash FROM users WHERE email = @email", email);
        Assert.StartsWith($"pbkdf2-sha256${AccountsSettings.PasswordIterations}$", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_Should_HashWithSixHundredThousandIterations_When_IterationsAreNotConfigured()
    {
        // arrange: a process as production runs it, without the test stacks' PasswordHashing settings, on the same database
        await using var production = await fixture.StartReplicaAsync(new Dictionary<string, string?>
        {
            ["PasswordHashing__Iterations"] = null,
            ["PasswordHashing__TestOnlyWeakIterations"] = null,
        });
        var fromProduction = $"production.{Guid.NewGuid():N}@example.com";
        var fromTestStack = $"teststack.{Guid.NewGuid():N}@example.com";

        // act
        var registered = await production.QueryAsync(Register, new { input = new { email = fromProduction, name = "Prod Hash", password = "Prod-password-1" } });
        await fixture.DataAsync(Register, new { input = new { email = fromTestStack, name = "Test Hash", password = "Test-password-1" } });
        // Each hash carries its count, so either process verifies the other's; only the production one rehashes upward.
        var loginOnTestStack = await fixture.DataAsync(Login, new { input = new { email = fromProduction, password = "Prod-password-1" } });
        var loginOnProduction = await production.QueryAsync(Login, new { input = new { email = fromTestStack, password = "Test-password-1" } });

        // assert
        Assert.Empty(registered["data"]!["register"]!["errors"]!.AsArray());
        Assert.Empty(loginOnTestStack["login"]!["errors"]!.AsArray());
        Assert.Empty(loginOnProduction["data"]!["login"]!["errors"]!.AsArray());
        Assert.StartsWith("pbkdf2-sha256$600000$", await ScalarAsync<string>("SELECT password_hash FROM users WHERE email = @email", fromProduction), StringComparison.Ordinal);
        Assert.StartsWith("pbkdf2-sha256$600000$", await ScalarAsync<string>("SELECT password_hash FROM users WHERE email = @email", fromTestStack), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_Should_ReturnValidationErrors_When_FieldsEmpty()
    {
        // act
        var data = await fixture.DataAsync(Login, new { input = new { email = "", password = "" } });

        // assert
        data.ToJsonString(Indented).MatchSnapshot();
    }

    private async Task ExecuteAsync(string sql, string email, string hash)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("email", email);
        command.Parameters.AddWithValue("hash", hash);
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }

    private async Task<T> ScalarAsync<T>(string sql, string email)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("email", email);
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
