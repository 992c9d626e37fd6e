using Catalog.Data;
using Catalog.Images;
using GraphQL.Types;

namespace Catalog.Types;

public sealed record ProductImage(string Url, string Alt, int Width, int Height);

public sealed class ProductImageSizeType : EnumerationGraphType<ProductImageSize>
{
    public ProductImageSizeType()
    {
        Name = "ProductImageSize";
        Description = "Square sizes of a product image: THUMB 160 px, MEDIUM 320 px, LARGE 640 px.";
    }
}

public sealed class ProductImageType : ObjectGraphType<ProductImage>
{
    public ProductImageType()
    {
        Name = "ProductImage";
        Description = "A picture of the product drawn by catalog (SVG), with the text that describes it and its size in CSS pixels.";
        Field(i => i.Url).Description(
            "Where to load it: an absolute URL when catalog is configured with Images:PublicBaseUrl, otherwise a path on the " +
            "origin that serves catalog's /images (the storefront forwards it). Versioned: a new URL when the picture changes, so it may be cached for good.");
        Field(i => i.Alt).Description("Text alternative for the image.");
        Field(i => i.Width);
        Field(i => i.Height);
    }

    public static ProductImage For(Product product, ProductImageSize size, string publicBaseUrl)
    {
        var pixels = ProductArt.Pixels(size);
        return new ProductImage(publicBaseUrl.TrimEnd('/') + ProductArt.Path(product, size), ProductArt.AltText(product), pixels, pixels);
    }
}
