using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Federation.Testing.Security;

namespace Catalog.Tests;

[Collection(CatalogCollection.Name)]
public sealed class ProductImageTests(CatalogFixture fixture)
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private async Task<JsonObject> ImageOfAsync(string id, string? size = null)
    {
        var argument = size is null ? "" : $"(size: {size})";
        var data = await fixture.DataAsync($$"""{ product(id: "{{id}}") { name image{{argument}} { url alt width height } } }""");
        return data["product"]!.AsObject();
    }

    /// <summary>The browser's request: a plain client without the internal token (the images are public, unlike /graphql).</summary>
    private async Task<HttpResponseMessage> GetAnonymouslyAsync(string url, EntityTagHeaderValue? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url.TrimStart('/'));
        if (ifNoneMatch is not null)
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        using var client = new HttpClient { BaseAddress = fixture.Catalog.Http.BaseAddress };
        return await client.SendAsync(request);
    }

    [Theory]
    [InlineData(null, 320)]
    [InlineData("THUMB", 160)]
    [InlineData("LARGE", 640)]
    public async Task Image_Should_DescribeVersionedSvgOfSize_When_Queried(string? size, int pixels)
    {
        // act
        var product = await ImageOfAsync("7", size);

        // assert
        var image = product["image"]!;
        Assert.Equal(pixels, image["width"]!.GetValue<int>());
        Assert.Equal(pixels, image["height"]!.GetValue<int>());
        Assert.Equal(product["name"]!.GetValue<string>(), image["alt"]!.GetValue<string>());
        Assert.Matches($"^/images/products/7\\.svg\\?size={(size ?? "MEDIUM").ToLowerInvariant()}&v=[0-9a-f]{{12}}$", image["url"]!.GetValue<string>());
    }

    [Fact]
    public async Task ImageUrl_Should_ServeSvgOfTheAdvertisedSize_Immutably()
    {
        // arrange
        var image = (await ImageOfAsync("7", "THUMB"))["image"]!;

        // act
        using var response = await GetAnonymouslyAsync(image["url"]!.GetValue<string>());

        // assert
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
        Assert.NotNull(response.Headers.ETag);
        var svg = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(Svg + "svg", svg.Name);
        Assert.Equal("160", svg.Attribute("width")!.Value);
        Assert.Equal("160", svg.Attribute("height")!.Value);
        Assert.Equal(image["alt"]!.GetValue<string>(), svg.Attribute("aria-label")!.Value);
        Assert.NotEmpty(svg.Elements(Svg + "text").Single().Value);
    }

    [Fact]
    public async Task Image_Should_BeSameBytesForSameProduct_And_DifferAcrossProducts()
    {
        // act
        using var first = await GetAnonymouslyAsync("/images/products/12.svg?size=medium");
        using var again = await GetAnonymouslyAsync("/images/products/12.svg?size=medium");
        using var other = await GetAnonymouslyAsync("/images/products/13.svg?size=medium");

        // assert
        var bytes = await first.Content.ReadAsStringAsync();
        Assert.Equal(bytes, await again.Content.ReadAsStringAsync());
        Assert.NotEqual(bytes, await other.Content.ReadAsStringAsync());
        // Without the version the answer may change (a rename redraws the initials): cached only briefly.
        Assert.Equal("public, max-age=300", first.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task Image_Should_Answer304_When_ETagMatches()
    {
        // arrange
        using var first = await GetAnonymouslyAsync("/images/products/3.svg?size=large");

        // act
        using var second = await GetAnonymouslyAsync("/images/products/3.svg?size=large", first.Headers.ETag);

        // assert
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/images/products/424242.svg", HttpStatusCode.NotFound)]
    [InlineData("/images/products/7.svg?size=huge", HttpStatusCode.BadRequest)]
    [InlineData("/images/products/7.svg?size=thumb&size=large", HttpStatusCode.BadRequest)]
    [InlineData("/images/products/abc.svg", HttpStatusCode.BadRequest)]
    [InlineData("/images/products/7.png", HttpStatusCode.BadRequest)]
    [InlineData("/images/products/-7.svg", HttpStatusCode.BadRequest)]
    public async Task Image_Should_AnswerClientError_When_ProductUnknownOrRequestBad(string url, HttpStatusCode expected)
    {
        // act
        using var response = await GetAnonymouslyAsync(url);

        // assert
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task ImageUrl_Should_Change_When_ProductRenamed()
    {
        // arrange
        var created = await fixture.Catalog.DataAsync(TestCaller.Admin,
            "mutation($input: CreateProductInput!) { createProduct(input: $input) { product { id image { url } } } }",
            new { input = new { name = "zz-image Alpha Kettle", description = "", price = 9.5, categoryId = "3" } });
        var product = created["createProduct"]!["product"]!;
        var id = product["id"]!.GetValue<string>();
        var before = product["image"]!["url"]!.GetValue<string>();
        using var beforeSvg = await GetAnonymouslyAsync(before);

        // act
        await fixture.Catalog.DataAsync(TestCaller.Admin,
            "mutation($input: UpdateProductInput!) { updateProduct(input: $input) { product { id } } }",
            new { input = new { id, name = "zz-image Beta Kettle" } });
        var after = (await ImageOfAsync(id))["image"]!["url"]!.GetValue<string>();
        using var stale = await GetAnonymouslyAsync(before);

        // assert
        Assert.NotEqual(before, after);
        Assert.Contains(">ZA</text>", await beforeSvg.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The old URL now gets the current art, no longer promised forever.
        Assert.Equal("public, max-age=300", stale.Headers.CacheControl!.ToString());
        Assert.Contains(">ZB</text>", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
