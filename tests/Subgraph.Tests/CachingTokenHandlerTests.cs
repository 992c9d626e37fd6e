using System.Net;
using Federation.Security;
using Federation.Testing.Security;
using Microsoft.IdentityModel.Tokens;

namespace Subgraph.Tests;

/// <summary>
/// Verified internal tokens are remembered (issue 19) without loosening any check: expiry, audience, issuer and the
/// trusted keys are judged again on every request, and only the signature verification is skipped.
/// </summary>
public sealed class CachingTokenHandlerTests
{
    private readonly ManualClock clock = new(DateTimeOffset.UtcNow);
    private readonly SigningKey key = SigningKeyFiles.Read(Directory.GetFiles(TestInternalTokens.PrivateKeysPath).Single());

    [Fact]
    public async Task ValidateTokenAsync_Should_AnswerFromCacheWithAFreshIdentity_When_TokenWasVerifiedBefore()
    {
        // arrange
        var handler = new CachingTokenHandler { MapInboundClaims = false };
        var token = Issuer(key).Issue("orders", "42", ["shopper"]);

        // act
        var first = await handler.ValidateTokenAsync(token, Parameters("orders", key));
        var second = await handler.ValidateTokenAsync(token, Parameters("orders", key));

        // assert
        Assert.True(first.IsValid, first.Exception?.Message);
        Assert.True(second.IsValid, second.Exception?.Message);
        Assert.Same(first.SecurityToken, second.SecurityToken);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
        Assert.Equal("42", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Equal("shopper", second.ClaimsIdentity.FindFirst("scope")?.Value);
    }

    [Fact]
    public async Task ValidateTokenAsync_Should_StopAnsweringFromCache_When_LifetimeAndClockSkewHavePassed()
    {
        // arrange: the cache's clock runs ahead; the full validation (the system's clock) still finds the token
        // valid, so a new JsonWebToken shows the answer was not the remembered one
        var handler = new CachingTokenHandler(clock);
        var token = Issuer(key).Issue("orders", "42", ["shopper"]);
        var verified = await handler.ValidateTokenAsync(token, Parameters("orders", key));

        // act
        clock.Now += InternalTokens.Lifetime + InternalTokens.ClockSkew - TimeSpan.FromSeconds(1);
        var withinSkew = await handler.ValidateTokenAsync(token, Parameters("orders", key));
        clock.Now += TimeSpan.FromSeconds(2);
        var afterExpiry = await handler.ValidateTokenAsync(token, Parameters("orders", key));

        // assert
        Assert.True(verified.IsValid, verified.Exception?.Message);
        Assert.Same(verified.SecurityToken, withinSkew.SecurityToken);
        Assert.NotSame(verified.SecurityToken, afterExpiry.SecurityToken);
    }

    [Fact]
    public async Task ValidateTokenAsync_Should_RefuseAnExpiredToken_When_ItWasNeverCached()
    {
        // arrange: signed 80 s ago with a 60 s lifetime, beyond the 15 s skew
        var handler = new CachingTokenHandler();
        var token = new InternalTokenIssuer(() => new KeyRing([key]), new ManualClock(DateTimeOffset.UtcNow - TimeSpan.FromSeconds(80)))
            .Issue("orders", "42", ["shopper"]);

        // act
        var first = await handler.ValidateTokenAsync(token, Parameters("orders", key));
        var second = await handler.ValidateTokenAsync(token, Parameters("orders", key));

        // assert
        Assert.IsType<SecurityTokenExpiredException>(first.Exception);
        Assert.IsType<SecurityTokenExpiredException>(second.Exception);
    }

    [Fact]
    public async Task ValidateTokenAsync_Should_RefuseCachedToken_When_ItsKeyIsNoLongerTrusted()
    {
        // arrange: the trusted keys are asked per request, as the subgraph's reloading key folder answers them
        var handler = new CachingTokenHandler();
        var other = SigningKeyFiles.Read(SigningKeyFiles.Generate(Directory.CreateTempSubdirectory("cache-keys-").FullName, TimeProvider.System));
        var trusted = key;
        var parameters = () => InternalTokens.ValidationParameters("orders", () => [trusted.Key]);
        var token = Issuer(key).Issue("orders", "42", ["shopper"]);
        var verified = await handler.ValidateTokenAsync(token, parameters());

        // act
        trusted = other;
        var retired = await handler.ValidateTokenAsync(token, parameters());

        // assert
        Assert.True(verified.IsValid, verified.Exception?.Message);
        Assert.False(retired.IsValid);
        Assert.IsAssignableFrom<SecurityTokenInvalidSignatureException>(retired.Exception);
    }

    [Theory]
    [InlineData("payments", InternalTokens.Issuer)]
    [InlineData("orders", "someone-else")]
    public async Task ValidateTokenAsync_Should_RefuseCachedToken_When_AskedForAnotherAudienceOrIssuer(string audience, string issuer)
    {
        // arrange
        var handler = new CachingTokenHandler();
        var token = Issuer(key).Issue("orders", "42", ["admin"]);
        var verified = await handler.ValidateTokenAsync(token, Parameters("orders", key));
        var other = Parameters(audience, key);
        other.ValidIssuer = issuer;

        // act
        var refused = await handler.ValidateTokenAsync(token, other);

        // assert
        Assert.True(verified.IsValid, verified.Exception?.Message);
        Assert.False(refused.IsValid);
    }

    [Fact]
    public async Task ValidateTokenAsync_Should_NotRememberAFailure_When_TheSameTokenIsThenAskedCorrectly()
    {
        // arrange
        var handler = new CachingTokenHandler();
        var token = Issuer(key).Issue("orders", "42", ["shopper"]);

        // act
        var wrongAudience = await handler.ValidateTokenAsync(token, Parameters("payments", key));
        var rightAudience = await handler.ValidateTokenAsync(token, Parameters("orders", key));
        var tampered = await handler.ValidateTokenAsync(token[..^4] + (token[^4..] == "AAAA" ? "BBBB" : "AAAA"), Parameters("orders", key));

        // assert
        Assert.False(wrongAudience.IsValid);
        Assert.True(rightAudience.IsValid, rightAudience.Exception?.Message);
        Assert.False(tampered.IsValid);
    }

    [Fact]
    public async Task Subgraph_Should_RefuseATokenItAcceptedBefore_When_ItsKeyIsRemovedFromTheFolder()
    {
        // arrange: a subgraph trusting two keys, whose folder then loses the one a cached token was signed with
        var folder = Directory.CreateTempSubdirectory("kit-retire-").FullName;
        try
        {
            var publicFolder = Path.Combine(folder, "public");
            var retiredFile = SigningKeyFiles.Generate(Path.Combine(folder, "private"), TimeProvider.System, publicFolder);
            SigningKeyFiles.Generate(Path.Combine(folder, "private"), TimeProvider.System, publicFolder);
            await using var subgraph = await KitSubgraph.StartAsync(publicFolder, "00:00:00.2");
            var token = new InternalTokenIssuer(() => new KeyRing([SigningKeyFiles.Read(retiredFile)])).Issue(KitSubgraph.Name, "1", []);
            using var accepted = await CallerTests.PostAsync(subgraph.Http, token);

            // act
            File.Delete(Path.Combine(publicFolder, Path.GetFileName(retiredFile)));
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            HttpStatusCode status;
            do
            {
                using var response = await CallerTests.PostAsync(subgraph.Http, token);
                status = response.StatusCode;
                if (status == HttpStatusCode.Unauthorized)
                {
                    break;
                }

                await Task.Delay(100);
            }
            while (DateTime.UtcNow < deadline);

            // assert
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private InternalTokenIssuer Issuer(SigningKey signer) => new(() => new KeyRing([signer]), clock);

    private static TokenValidationParameters Parameters(string audience, SigningKey trusted) =>
        InternalTokens.ValidationParameters(audience, () => [trusted.Key]);
}

internal sealed class ManualClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now;
}
