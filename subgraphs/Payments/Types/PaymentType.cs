using GraphQL.Federation;
using GraphQL.Types;
using Microsoft.Extensions.DependencyInjection;
using Payments.Data;

namespace Payments.Types;

public sealed class PaymentType : ObjectGraphType<Payment>
{
    public PaymentType()
    {
        Name = "Payment";
        Description = "A charge for an order. Owned by payments.";
        this.Key("id");
        Field(p => p.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<NonNullGraphType<OrderType>>("order").Resolve(ctx => new OrderReference { Id = ctx.Source.OrderId });
        Field<NonNullGraphType<FloatGraphType>>("amount")
            .Description("The amount charged, in USD: the order total.")
            .Resolve(ctx => (double)ctx.Source.Amount);
        Field<NonNullGraphType<PaymentStatusType>>("status").Resolve(ctx => ctx.Source.Status);
        Field<NonNullGraphType<PaymentMethodType>>("method").Resolve(ctx => ctx.Source.Method);
        Field<NonNullGraphType<DateTimeGraphType>>("createdAt").Resolve(ctx => ctx.Source.CreatedAt.UtcDateTime);
        this.ResolveReference<Payment>((ctx, reference) =>
            ctx.RequestServices!.GetRequiredService<PaymentByIdDataLoader>().Load(reference.Id));
    }
}

public sealed class PaymentStatusType : EnumerationGraphType<PaymentStatus>
{
    public PaymentStatusType() => Name = "PaymentStatus";
}

public sealed class PaymentMethodType : EnumerationGraphType<PaymentMethod>
{
    public PaymentMethodType() => Name = "PaymentMethod";
}

public sealed class OrderReference
{
    public int Id { get; set; }
}

/// <summary>Orders owns Order; payments adds how it was paid.</summary>
public sealed class OrderType : ObjectGraphType<OrderReference>
{
    public OrderType()
    {
        Name = "Order";
        this.Key("id");
        Field(o => o.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field<PaymentType>("payment")
            .Description("The order's payment; null until payments has charged it.")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<PaymentByOrderIdDataLoader>().Load(ctx.Source.Id));
        // The key is all payments needs: the payment is found by order_id.
        this.ResolveReference<OrderReference>((_, reference) => reference);
    }
}
