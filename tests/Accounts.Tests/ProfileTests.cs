using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Federation.Testing.Security;

namespace Accounts.Tests;

/// <summary>
/// updateProfile and changePassword act on the signed-in caller's own account only. Each test registers its own
/// account and sends from its own client address, so the login limits it meets are its own.
/// </summary>
[Collection(AccountsCollection.Name)]
public sealed class ProfileTests(AccountsFixture fixture)
{
    private const string Password = "Original123";

    private const string Register = """
        mutation Register($input: RegisterInput!) { register(input: $input) { user { id } errors { code } } }
        """;

    private const string Login = """
        mutation Login($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id } errors { code message field } } }
        """;

    private const string UpdateProfile = """
        mutation Update($input: UpdateProfileInput!) { updateProfile(input: $input) { user { id name email } errors { code message field } } }
        """;

    private const string ChangePassword = """
        mutation Change($input: ChangePasswordInput!) {
          changePassword(input: $input) { accessToken refreshToken user { id } errors { code message field } }
        }
        """;

    private const string Refresh = """
        mutation Refresh($token: String!) { refreshSession(refreshToken: $token) { accessToken errors { code } } }
        """;

    [Fact]
    public async Task UpdateProfile_Should_SaveTrimmedNameOfTheCallerOnly_When_NameValid()
    {
        // arrange
        var (userId, email) = await RegisterAsync();

        // act
        var updated = await fixture.Accounts.DataAsync(TestCaller.Shopper(userId), UpdateProfile, new { input = new { name = "  Grace Hopper " } });
        var viewer = await fixture.Accounts.DataAsync(TestCaller.Shopper(userId), "{ viewer { name email } }");

        // assert
        var payload = updated["updateProfile"]!;
        Assert.Empty(payload["errors"]!.AsArray());
        Assert.Equal(userId.ToString(), payload["user"]!["id"]!.GetValue<string>());
        Assert.Equal("Grace Hopper", viewer["viewer"]!["name"]!.GetValue<string>());
        Assert.Equal(email, viewer["viewer"]!["email"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("   ", "Name must not be empty.")]
    [InlineData(null, "Name must be at most 100 characters.")]
    public async Task UpdateProfile_Should_ReturnValidationErrorAndKeepName_When_NameEmptyOrTooLong(string? name, string message)
    {
        // arrange
        var (userId, _) = await RegisterAsync();

        // act
        var updated = await fixture.Accounts.DataAsync(TestCaller.Shopper(userId), UpdateProfile, new { input = new { name = name ?? new string('x', 101) } });
        var viewer = await fixture.Accounts.DataAsync(TestCaller.Shopper(userId), "{ viewer { name } }");

        // assert
        var error = Assert.Single(updated["updateProfile"]!["errors"]!.AsArray());
        Assert.Equal("VALIDATION", error!["code"]!.GetValue<string>());
        Assert.Equal(message, error["message"]!.GetValue<string>());
        Assert.Equal(["input", "name"], error["field"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.Null(updated["updateProfile"]!["user"]);
        Assert.Equal("Profile Tester", viewer["viewer"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChangePassword_Should_SwitchPasswordRevokeOldSessionsAndReturnNewOne_When_CurrentPasswordRight()
    {
        // arrange
        var (userId, email) = await RegisterAsync();
        var address = AccountsFixture.NewClientAddress();
        var before = (await fixture.QueryFromAsync(address, Login, new { input = new { email, password = Password } }))["data"]!["login"]!;

        // act
        var changed = await ChangeAsync(userId, address, Password, "Changed4567");
        var oldPassword = (await fixture.QueryFromAsync(address, Login, new { input = new { email, password = Password } }))["data"]!["login"]!;
        var newPassword = (await fixture.QueryFromAsync(address, Login, new { input = new { email, password = "Changed4567" } }))["data"]!["login"]!;
        var oldRefresh = (await fixture.DataAsync(Refresh, new { token = before["refreshToken"]!.GetValue<string>() }))["refreshSession"]!;
        var newRefresh = (await fixture.DataAsync(Refresh, new { token = changed["data"]!["changePassword"]!["refreshToken"]!.GetValue<string>() }))["refreshSession"]!;

        // assert
        var payload = changed["data"]!["changePassword"]!;
        Assert.Empty(payload["errors"]!.AsArray());
        Assert.Equal(userId.ToString(), payload["user"]!["id"]!.GetValue<string>());
        Assert.True((await fixture.ValidateAsync(payload["accessToken"]!.GetValue<string>())).IsValid);
        Assert.Equal("UNAUTHENTICATED", oldPassword["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Empty(newPassword["errors"]!.AsArray());
        Assert.Equal("INVALID_REFRESH_TOKEN", oldRefresh["errors"]![0]!["code"]!.GetValue<string>());
        Assert.NotNull(newRefresh["accessToken"]);
    }

    [Fact]
    public async Task ChangePassword_Should_AnswerOnlyWrongPasswordAndChangeNothing_When_CurrentPasswordWrong()
    {
        // arrange
        var (userId, email) = await RegisterAsync();
        var address = AccountsFixture.NewClientAddress();

        // act: the new password equals the real current one, which must not be told apart from any other wrong guess
        var wrong = await ChangeAsync(userId, address, "NotMine123", Password);
        var wrongAgain = await ChangeAsync(userId, address, "NotMine456", "Whatever789");
        var login = (await fixture.QueryFromAsync(address, Login, new { input = new { email, password = Password } }))["data"]!["login"]!;

        // assert
        foreach (var response in new[] { wrong, wrongAgain })
        {
            var payload = response["data"]!["changePassword"]!;
            var error = Assert.Single(payload["errors"]!.AsArray());
            Assert.Equal("WRONG_PASSWORD", error!["code"]!.GetValue<string>());
            Assert.Equal("The current password is incorrect.", error["message"]!.GetValue<string>());
            Assert.Null(payload["accessToken"]);
            Assert.Null(payload["user"]);
        }
        Assert.Empty(login["errors"]!.AsArray());
    }

    [Fact]
    public async Task ChangePassword_Should_ReturnRegistrationRulesAsValidationErrors_When_NewPasswordWeakOrSame()
    {
        // arrange
        var (userId, email) = await RegisterAsync();
        var address = AccountsFixture.NewClientAddress();

        // act
        var tooShort = await ChangeAsync(userId, address, Password, "abc1");
        var noDigit = await ChangeAsync(userId, address, Password, "onlyletters");
        var emptyCurrent = await ChangeAsync(userId, address, "", "Changed4567");
        var same = await ChangeAsync(userId, address, Password, Password);
        var login = (await fixture.QueryFromAsync(address, Login, new { input = new { email, password = Password } }))["data"]!["login"]!;

        // assert
        Assert.Equal(("VALIDATION", "Password must be 8 to 128 characters.", "input.newPassword"), OnlyError(tooShort));
        Assert.Equal(("VALIDATION", "Password must contain a letter and a digit.", "input.newPassword"), OnlyError(noDigit));
        Assert.Equal(("VALIDATION", "Current password must not be empty.", "input.currentPassword"), OnlyError(emptyCurrent));
        Assert.Equal(("VALIDATION", "The new password must differ from the current one.", "input.newPassword"), OnlyError(same));
        Assert.Empty(login["errors"]!.AsArray());
    }

    [Fact]
    public async Task ChangePassword_Should_BeRateLimitedLikeLogin_When_CurrentPasswordGuessedRepeatedly()
    {
        // arrange
        var (userId, _) = await RegisterAsync();

        // act
        var answers = new List<JsonObject>();
        for (var i = 0; i <= AccountsFixture.PerAccountLimit; i++)
            answers.Add(await ChangeAsync(userId, AccountsFixture.NewClientAddress(), $"Guess{i}x123", "Changed4567"));

        // assert
        Assert.All(answers[..AccountsFixture.PerAccountLimit], a => Assert.Equal("WRONG_PASSWORD", a["data"]!["changePassword"]!["errors"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal(["RATE_LIMITED"], answers[^1].ErrorCodes());
    }

    [Fact]
    public async Task ProfileMutations_Should_BeUnauthenticated_When_CallerAnonymous()
    {
        // act
        var update = await fixture.Accounts.QueryAsync(TestCaller.Anonymous, UpdateProfile, new { input = new { name = "Nobody" } });
        var change = await fixture.Accounts.QueryAsync(TestCaller.Anonymous, ChangePassword, new { input = new { currentPassword = Password, newPassword = "Changed4567" } });

        // assert
        Assert.Equal(["UNAUTHENTICATED"], update.ErrorCodes());
        Assert.Equal(["UNAUTHENTICATED"], change.ErrorCodes());
        Assert.Null(update["data"]?["updateProfile"]);
        Assert.Null(change["data"]?["changePassword"]);
    }

    [Fact]
    public async Task ProfileMutations_Should_ChangeOnlyTheCallersAccount_When_AnotherUserOrAdminCalls()
    {
        // arrange: nothing in either input names an account, so another caller can only ever act on their own
        var (victimId, victimEmail) = await RegisterAsync();
        var (otherId, _) = await RegisterAsync();
        var address = AccountsFixture.NewClientAddress();

        // act
        var otherChange = await ChangeAsync(otherId, address, Password, "Stolen12345");
        var adminChange = await ChangeAsync(int.Parse(TestCaller.Admin.UserId!), address, Password, "Stolen12345");
        var adminUpdate = await fixture.Accounts.QueryAsync(TestCaller.Admin, UpdateProfile, new { input = new { name = "Renamed by admin" } });
        var victim = await fixture.Accounts.DataAsync(TestCaller.Shopper(victimId), "{ viewer { name } }");
        var victimLogin = (await fixture.QueryFromAsync(address, Login, new { input = new { email = victimEmail, password = Password } }))["data"]!["login"]!;

        // assert
        Assert.Empty(otherChange["data"]!["changePassword"]!["errors"]!.AsArray());
        Assert.Equal(otherId.ToString(), otherChange["data"]!["changePassword"]!["user"]!["id"]!.GetValue<string>());
        Assert.Equal("NOT_FOUND", adminChange["data"]!["changePassword"]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("NOT_FOUND", adminUpdate["data"]!["updateProfile"]!["errors"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("Profile Tester", victim["viewer"]!["name"]!.GetValue<string>());
        Assert.Empty(victimLogin["errors"]!.AsArray());
    }

    private async Task<(int UserId, string Email)> RegisterAsync()
    {
        var email = $"profile.{Guid.NewGuid():N}@example.com";
        var registered = await fixture.DataAsync(Register, new { input = new { email, name = "Profile Tester", password = Password } });
        Assert.Empty(registered["register"]!["errors"]!.AsArray());
        return (int.Parse(registered["register"]!["user"]!["id"]!.GetValue<string>()), email);
    }

    /// <summary>changePassword as the signed-in <paramref name="userId"/>, forwarded for <paramref name="clientAddress"/>.</summary>
    private async Task<JsonObject> ChangeAsync(int userId, string clientAddress, string currentPassword, string newPassword)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "graphql")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { query = ChangePassword, variables = new { input = new { currentPassword, newPassword } } }), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/graphql-response+json"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestInternalTokens.Mint(fixture.Accounts.Name, userId.ToString(), "shopper"));
        request.Headers.Add("X-Forwarded-For", clientAddress);
        using var response = await fixture.Accounts.Http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    private static (string Code, string Message, string Field) OnlyError(JsonObject response)
    {
        var error = Assert.Single(response["data"]!["changePassword"]!["errors"]!.AsArray())!;
        return (error["code"]!.GetValue<string>(), error["message"]!.GetValue<string>(), string.Join('.', error["field"]!.AsArray().Select(f => f!.GetValue<string>())));
    }
}
