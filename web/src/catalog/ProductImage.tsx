/** A product's picture as catalog draws it: the server's width and height are set on the element, so the page
 *  reserves its box before the image arrives (no layout shift), and its alt text describes it. */
export function ProductImage({ image, className, eager }: {
  image: { url: string; alt: string; width: number; height: number };
  className?: string;
  eager?: boolean;
}) {
  return (
    <img className={className ? `product-image ${className}` : 'product-image'} src={image.url} alt={image.alt}
      width={image.width} height={image.height} loading={eager ? 'eager' : 'lazy'} decoding="async" data-testid="product-image" />
  );
}
