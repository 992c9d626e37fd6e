using Federation.Testing.Subgraphs;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Accounts.Tests;

[Collection(AccountsCollection.Name)]
public sealed class KeyRotationTests(AccountsFixture fixture)
{
    [Fact]
    public async Task KeyRotation_Should_SignWithNewKeyAndKeepOldTokensValid_When_KeyAddedWithoutRestart()
    {
        // arrange
        var before = await LoginAsync();
        var oldKid = new JsonWebToken(before).Kid;
        var publishedBefore = await PublishedKidsAsync();

        // act
        var newFile = await AccountsSettings.GenerateKeyAsync(fixture.KeysFolder);
        var published = await WaitForKidsAsync(kids => kids.Count == publishedBefore.Count + 1);
        var after = await LoginAsync();

        // assert
        var newKid = new JsonWebToken(after).Kid;
        Assert.NotEqual(oldKid, newKid);
        Assert.Contains(oldKid, published);
        Assert.Contains(newKid, published);
        Assert.True((await fixture.ValidateAsync(before)).IsValid, "a token signed with the older key validates while that key is published");
        Assert.True((await fixture.ValidateAsync(after)).IsValid);
        Assert.False(fixture.Accounts.Process.HasExited);
        Assert.True(File.Exists(newFile));
    }

    [Fact]
    public async Task KeyRotation_Should_StopValidatingOldTokens_When_OldKeyRetired()
    {
        // arrange: wait for this key by name. The class's other test may already have published a second key, and a
        // wait for "two keys" then returned before the service read this one (a loaded CI run signed with the older).
        var publishedBefore = await PublishedKidsAsync();
        await AccountsSettings.GenerateKeyAsync(fixture.KeysFolder);
        var newestKid = Assert.Single((await WaitForKidsAsync(kids => kids.Count == publishedBefore.Count + 1)).Except(publishedBefore));
        var files = Directory.GetFiles(fixture.KeysFolder, "*.pem").Order(StringComparer.Ordinal).ToList();
        var signedWithNewest = await LoginAsync();
        Assert.Equal(newestKid, new JsonWebToken(signedWithNewest).Kid);

        // act
        foreach (var retired in files[..^1])
            File.Delete(retired);
        var published = await WaitForKidsAsync(kids => kids.Count == 1);

        // assert
        Assert.Equal([newestKid], published);
        Assert.True((await fixture.ValidateAsync(signedWithNewest)).IsValid);
        Assert.True((await fixture.ValidateAsync(await LoginAsync())).IsValid);
    }

    [Fact]
    public async Task KeyRotation_Should_KeepSigning_When_UnreadableKeyFileAdded()
    {
        // arrange
        var broken = Path.Combine(fixture.KeysFolder, "99991231T235959999Z.pem");
        var kidsBefore = await PublishedKidsAsync();

        // act
        await File.WriteAllTextAsync(broken, "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n");
        try
        {
            await fixture.Accounts.Process.WaitForLineAsync($"Skipped key file {broken}", TimeSpan.FromSeconds(20));
            var token = await LoginAsync();

            // assert
            Assert.Equal(kidsBefore, await PublishedKidsAsync());
            Assert.True((await fixture.ValidateAsync(token)).IsValid);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private async Task<string> LoginAsync()
    {
        var data = await fixture.DataAsync(SessionOperations.Login,
            new { input = new { email = SessionOperations.DemoShopperEmail, password = SessionOperations.DemoShopperPassword } });
        return data["login"]!["accessToken"]!.GetValue<string>();
    }

    private async Task<List<string>> PublishedKidsAsync()
    {
        var jwks = JsonNode.Parse(await fixture.Accounts.Http.GetStringAsync(".well-known/jwks.json"))!;
        return jwks["keys"]!.AsArray().Select(k => k!["kid"]!.GetValue<string>()).ToList();
    }

    // The service reads the folder on a file-system event or, at the latest, every 5 s (the fixture's reload interval).
    private async Task<List<string>> WaitForKidsAsync(Func<List<string>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var kids = await PublishedKidsAsync();
            if (condition(kids))
                return kids;
            Assert.True(DateTime.UtcNow < deadline, $"JWKS still lists [{string.Join(", ", kids)}]");
            await Task.Delay(100);
        }
    }
}
