using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Catalog.Data;

namespace Catalog.Images;

/// <summary>The sizes a product image is drawn at (square, in CSS pixels).</summary>
public enum ProductImageSize
{
    Thumb,
    Medium,
    Large,
}

/// <summary>
/// A product's picture, drawn by catalog itself from what it knows about the product (nothing is fetched from
/// outside): a square SVG in its category's colours, a few shapes placed by its id and the initials of its name.
/// The same product, name and size always give the same bytes; <see cref="Version"/> changes when the art would.
/// </summary>
public static class ProductArt
{
    public const string PathPrefix = "/images/products/";

    /// <summary>Bumped when the drawing itself changes, so every version (and every cached copy) is replaced.</summary>
    private const string ArtRevision = "1";

    public static int Pixels(ProductImageSize size) => size switch
    {
        ProductImageSize.Thumb => 160,
        ProductImageSize.Medium => 320,
        _ => 640,
    };

    public static string SizeName(ProductImageSize size) => size.ToString().ToLowerInvariant();

    public static bool TryParseSize(string? text, out ProductImageSize size)
    {
        size = ProductImageSize.Medium;
        if (string.IsNullOrEmpty(text))
            return true;
        foreach (var candidate in Enum.GetValues<ProductImageSize>())
        {
            if (string.Equals(SizeName(candidate), text, StringComparison.Ordinal))
            {
                size = candidate;
                return true;
            }
        }
        return false;
    }

    /// <summary>Background, shape and ink colours of each category (ids 1..12 as seeded); other ids wrap around.</summary>
    private static readonly (string Background, string Shape, string Accent, string Ink)[] Palettes =
    [
        ("#1e3a5f", "#3d6fa8", "#8fc1ff", "#ffffff"), // Electronics
        ("#26324a", "#4a5f8c", "#c4d3ff", "#ffffff"), // Computers
        ("#7a3b12", "#c0662a", "#ffd2a8", "#ffffff"), // Home & Kitchen
        ("#4d3621", "#8a6642", "#e8cfa8", "#ffffff"), // Furniture
        ("#1f5130", "#3c8a55", "#b5e8c3", "#ffffff"), // Sports & Outdoors
        ("#5a1f4d", "#94407f", "#f3bfe6", "#ffffff"), // Clothing
        ("#3b2a60", "#6a54a3", "#d6caff", "#ffffff"), // Shoes
        ("#5c1a1a", "#9c3a3a", "#ffc9c9", "#ffffff"), // Books
        ("#0f4d57", "#22879a", "#a6ecf7", "#ffffff"), // Toys & Games
        ("#6b1f3a", "#b04470", "#ffc6dc", "#ffffff"), // Beauty
        ("#2f4f1a", "#5c8c32", "#d3f0b0", "#ffffff"), // Garden
        ("#5a4310", "#9c7a22", "#f7e3a6", "#ffffff"), // Pet Supplies
    ];

    public static string AltText(Product product) => product.Name;

    /// <summary>Changes whenever the drawing of this product would: name, category or the art itself.</summary>
    public static string Version(Product product)
    {
        var input = string.Create(CultureInfo.InvariantCulture, $"{ArtRevision}\n{product.Id}\n{product.CategoryId}\n{product.Name}");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(input)))[..12];
    }

    public static string Path(Product product, ProductImageSize size) =>
        string.Create(CultureInfo.InvariantCulture, $"{PathPrefix}{product.Id}.svg?size={SizeName(size)}&v={Version(product)}");

    public static string Svg(Product product, ProductImageSize size)
    {
        var pixels = Pixels(size);
        var palette = Palettes[(Math.Max(product.CategoryId, 1) - 1) % Palettes.Length];
        // Shapes are laid out on a 100x100 canvas from a generator seeded by the id alone, so a renamed product keeps its look.
        var random = new SplitMix(unchecked((ulong)product.Id * 0x9E3779B97F4A7C15UL));
        var svg = new StringBuilder(1024);
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{pixels}\" height=\"{pixels}\" viewBox=\"0 0 100 100\" role=\"img\" aria-label=\"{Escape(AltText(product))}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<rect width=\"100\" height=\"100\" fill=\"{palette.Background}\"/>");
        var shapes = 3 + random.Next(3);
        for (var i = 0; i < shapes; i++)
        {
            var x = 10 + random.Next(81);
            var y = 10 + random.Next(81);
            var r = 12 + random.Next(22);
            var colour = i % 2 == 0 ? palette.Shape : palette.Accent;
            var opacity = (0.35 + random.Next(40) / 100.0).ToString("0.00", CultureInfo.InvariantCulture);
            switch (random.Next(3))
            {
                case 0:
                    svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{x}\" cy=\"{y}\" r=\"{r}\" fill=\"{colour}\" fill-opacity=\"{opacity}\"/>");
                    break;
                case 1:
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<rect x=\"{x - r}\" y=\"{y - r}\" width=\"{2 * r}\" height=\"{2 * r}\" rx=\"{r / 4}\" transform=\"rotate({random.Next(90)} {x} {y})\" fill=\"{colour}\" fill-opacity=\"{opacity}\"/>");
                    break;
                default:
                    svg.Append(CultureInfo.InvariantCulture,
                        $"<polygon points=\"{x},{y - r} {x + r},{y + r} {x - r},{y + r}\" fill=\"{colour}\" fill-opacity=\"{opacity}\"/>");
                    break;
            }
        }
        // A plate behind the initials keeps them readable over any shape.
        svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"50\" cy=\"50\" r=\"22\" fill=\"{palette.Background}\" fill-opacity=\"0.85\"/>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"50\" y=\"50\" dy=\"0.35em\" text-anchor=\"middle\" font-family=\"system-ui, sans-serif\" font-size=\"20\" font-weight=\"700\" fill=\"{palette.Ink}\">{Escape(Initials(product.Name))}</text>");
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The first letter of the name's first two words that start with a letter ("Classic Oak Kettle 007" gives "CO").</summary>
    public static string Initials(string name)
    {
        var letters = name.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(word => char.IsLetter(word[0]))
            .Take(2)
            .Select(word => char.ToUpperInvariant(word[0]));
        var initials = string.Concat(letters);
        return initials.Length > 0 ? initials : "?";
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    /// <summary>SplitMix64: a tiny generator whose sequence is fixed by this code, not by the runtime's Random.</summary>
    private struct SplitMix(ulong state)
    {
        private ulong _state = state;

        public int Next(int exclusiveMax)
        {
            _state += 0x9E3779B97F4A7C15UL;
            var z = _state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            z ^= z >> 31;
            return (int)(z % (ulong)exclusiveMax);
        }
    }
}
