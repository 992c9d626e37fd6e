using System.Globalization;
using Catalog.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Catalog.Images;

/// <summary>
/// <c>GET /images/products/{id}.svg?size=thumb|medium|large&amp;v=...</c>: the product's art, open to anyone (browsers
/// load it directly, unlike /graphql). With the current <c>v</c> (as the <c>image</c> field links it) the answer never
/// changes and is cached as immutable; without it, briefly. Unknown product 404, bad id or size 400.
/// </summary>
public static class ProductImageEndpoint
{
    private const string ImmutableCache = "public, max-age=31536000, immutable";
    private const string ShortCache = "public, max-age=300";

    public static IEndpointRouteBuilder MapProductImages(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(ProductArt.PathPrefix + "{file}", [HttpMethods.Get, HttpMethods.Head], HandleAsync);
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(string file, HttpContext context, IDbContextFactory<CatalogDbContext> factory)
    {
        if (!file.EndsWith(".svg", StringComparison.Ordinal)
            || !int.TryParse(file.AsSpan(0, file.Length - 4), NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
            return Problem(StatusCodes.Status400BadRequest, $"'{file}' is not a product image; ask for /images/products/<product id>.svg.");
        var sizeText = context.Request.Query["size"];
        if (sizeText.Count > 1 || !ProductArt.TryParseSize(sizeText.ToString(), out var size))
            return Problem(StatusCodes.Status400BadRequest, "size must be one of: " + string.Join(", ", Enum.GetValues<ProductImageSize>().Select(ProductArt.SizeName)) + ".");

        await using var db = await factory.CreateDbContextAsync(context.RequestAborted);
        var product = await db.Products.AsNoTracking().Where(p => p.Id == id)
            .Select(p => new Product { Id = p.Id, Name = p.Name, CategoryId = p.CategoryId })
            .FirstOrDefaultAsync(context.RequestAborted);
        if (product is null)
            return Problem(StatusCodes.Status404NotFound, $"There is no product {id}.");

        var version = ProductArt.Version(product);
        var etag = new EntityTagHeaderValue($"\"{version}-{ProductArt.SizeName(size)}\"");
        var headers = context.Response.GetTypedHeaders();
        headers.ETag = etag;
        context.Response.Headers.CacheControl = context.Request.Query["v"] == version ? ImmutableCache : ShortCache;
        context.Response.Headers.XContentTypeOptions = "nosniff";
        // Inline SVG scripts cannot run from an <img>, but a direct visit renders the document: allow it nothing.
        context.Response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
        var ifNoneMatch = context.Request.GetTypedHeaders().IfNoneMatch;
        if (ifNoneMatch.Any(tag => tag.Compare(etag, useStrongComparison: false) || tag.Equals(EntityTagHeaderValue.Any)))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Text(ProductArt.Svg(product, size), "image/svg+xml; charset=utf-8");
    }

    private static IResult Problem(int status, string detail) =>
        Results.Problem(statusCode: status, detail: detail);
}
