import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { EventsContext } from '../demo/graph/subscriptions.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar. */
  DateTime: { input: unknown; output: unknown; }
};

export type Customer = {
  __typename?: 'Customer';
  /** ISO 3166-1 alpha-2 code. */
  country: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  email: Scalars['String']['output'];
  id: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** The customer's orders, newest first. */
  orders: Array<Order>;
};

export type Mutation = {
  __typename?: 'Mutation';
  /**
   * Places an order: reserves the stock, charges the customer and records the order, or, when a step
   * fails, undoes the steps before it and answers an error. `idempotencyKey` (1 to 255 characters,
   * one per order, chosen by the client) makes it safe to send again: the same key answers the same
   * order without a second charge, also while the first call is still running. A failed order is
   * final for its key: try again with a new key.
   */
  placeOrder: Order;
};


export type MutationPlaceOrderArgs = {
  customerId: Scalars['ID']['input'];
  idempotencyKey: Scalars['String']['input'];
  lines: Array<OrderLineInput>;
};

export type Order = {
  __typename?: 'Order';
  currency: Scalars['String']['output'];
  customer?: Maybe<Customer>;
  customerId: Scalars['String']['output'];
  id: Scalars['String']['output'];
  lines: Array<Maybe<OrderLine>>;
  /** The payment of the order, or null when none was taken. */
  payment?: Maybe<Payment>;
  placedAt: Scalars['DateTime']['output'];
  status: OrderStatus;
  total: Scalars['Float']['output'];
};

export type OrderLine = {
  __typename?: 'OrderLine';
  product?: Maybe<Product>;
  productId: Scalars['String']['output'];
  quantity: Scalars['Int']['output'];
  unitPrice: Scalars['Float']['output'];
};

/** A line of an order to place: which product, and how many. */
export type OrderLineInput = {
  productId: Scalars['ID']['input'];
  /** From 1 to 100. */
  quantity: Scalars['Int']['input'];
};

export type OrderStatus =
  | 'CANCELLED'
  | 'DELIVERED'
  | 'PLACED'
  | 'SHIPPED';

export type Payment = {
  __typename?: 'Payment';
  amount: Scalars['Float']['output'];
  createdAt: Scalars['DateTime']['output'];
  currency: Scalars['String']['output'];
  id: Scalars['String']['output'];
  method: PaymentMethod;
  /** The order this payment is for. */
  order?: Maybe<Order>;
  orderId: Scalars['String']['output'];
  status: PaymentStatus;
};

/** A change of a payment, as the payment processor reported it. */
export type PaymentEvent = {
  __typename?: 'PaymentEvent';
  /** The processor's id of the event: pass it as `after` to resume after it. */
  id: Scalars['ID']['output'];
  /** When it happened at the processor (ISO 8601). */
  occurredAt: Scalars['String']['output'];
  /** The payment as it is after the event. */
  payment: Payment;
  type: PaymentEventType;
};

export type PaymentEventType =
  | 'PAYMENT_FAILED'
  | 'PAYMENT_REFUNDED'
  | 'PAYMENT_SUCCEEDED';

export type PaymentMethod =
  | 'BANK_TRANSFER'
  | 'CARD'
  | 'WALLET';

export type PaymentStatus =
  | 'FAILED'
  | 'REFUNDED'
  | 'SUCCEEDED';

export type Product = {
  __typename?: 'Product';
  category: Scalars['String']['output'];
  /** ISO 4217 code. */
  currency: Scalars['String']['output'];
  description: Scalars['String']['output'];
  id: Scalars['String']['output'];
  name: Scalars['String']['output'];
  /** Unit price in `currency`. */
  price: Scalars['Float']['output'];
  /** The mean rating from 1 to 5, or null when the product has no review yet. */
  rating?: Maybe<Scalars['Float']['output']>;
  /** What customers wrote about the product, newest first. */
  reviews: Array<Review>;
  /** The stock keeping unit that the warehouse knows the product by. */
  sku: Scalars['String']['output'];
  /** Stock in each warehouse and in all, from the warehouse ERP. */
  stock?: Maybe<StockLevel>;
};

export type Query = {
  __typename?: 'Query';
  customer?: Maybe<Customer>;
  order?: Maybe<Order>;
  product?: Maybe<Product>;
  /**
   * Products in id order, a page at a time: pass the `id` of the last product of a page as `after` to
   * get the next one. `search` matches names, case-insensitively.
   */
  products: Array<Product>;
};


export type QueryCustomerArgs = {
  id: Scalars['ID']['input'];
};


export type QueryOrderArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
};

export type Review = {
  __typename?: 'Review';
  /** The customer who wrote the review. */
  author?: Maybe<Customer>;
  body: Scalars['String']['output'];
  createdAt: Scalars['String']['output'];
  customerId: Scalars['ID']['output'];
  id: Scalars['ID']['output'];
  productId: Scalars['ID']['output'];
  /** From 1 to 5. */
  rating: Scalars['Int']['output'];
  title: Scalars['String']['output'];
};

/** A change of a SKU's stock, as the warehouse ERP reported it. */
export type StockChange = {
  __typename?: 'StockChange';
  /** The ERP's id of the event: pass it as `after` to resume after it. */
  id: Scalars['ID']['output'];
  occurredAt: Scalars['String']['output'];
  sku: Scalars['String']['output'];
  /** The SKU's stock after the change. */
  stock: StockLevel;
  /** Always STOCK_CHANGED for now. */
  type: Scalars['String']['output'];
};

export type StockLevel = {
  __typename?: 'StockLevel';
  sku: Scalars['String']['output'];
  total: Scalars['Int']['output'];
  warehouses: Array<WarehouseStock>;
};

export type Subscription = {
  __typename?: 'Subscription';
  /**
   * Payment events as the processor reports them, of one order or of all. With `after` (an event id),
   * first the events after it that the gateway still holds (the last 1,000), in order, then the live
   * ones: a client that reconnects with the last id it saw misses nothing and sees nothing twice.
   */
  paymentEvents: PaymentEvent;
  /** Stock changes as the warehouse ERP reports them, of one SKU or of all; `after` as for paymentEvents. */
  stockChanged: StockChange;
};


export type SubscriptionPaymentEventsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  orderId?: InputMaybe<Scalars['ID']['input']>;
};


export type SubscriptionStockChangedArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  sku?: InputMaybe<Scalars['String']['input']>;
};

export type WarehouseStock = {
  __typename?: 'WarehouseStock';
  quantity: Scalars['Int']['output'];
  warehouse: Scalars['String']['output'];
};

export type WithIndex<TObject> = TObject & Record<string, any>;
export type ResolversObject<TObject> = WithIndex<TObject>;

export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = ResolversObject<{
  Boolean: ResolverTypeWrapper<Partial<Scalars['Boolean']['output']>>;
  Customer: ResolverTypeWrapper<Partial<Customer>>;
  DateTime: ResolverTypeWrapper<Partial<Scalars['DateTime']['output']>>;
  Float: ResolverTypeWrapper<Partial<Scalars['Float']['output']>>;
  ID: ResolverTypeWrapper<Partial<Scalars['ID']['output']>>;
  Int: ResolverTypeWrapper<Partial<Scalars['Int']['output']>>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Order: ResolverTypeWrapper<Partial<Order>>;
  OrderLine: ResolverTypeWrapper<Partial<OrderLine>>;
  OrderLineInput: ResolverTypeWrapper<Partial<OrderLineInput>>;
  OrderStatus: ResolverTypeWrapper<Partial<OrderStatus>>;
  Payment: ResolverTypeWrapper<Partial<Payment>>;
  PaymentEvent: ResolverTypeWrapper<Partial<PaymentEvent>>;
  PaymentEventType: ResolverTypeWrapper<Partial<PaymentEventType>>;
  PaymentMethod: ResolverTypeWrapper<Partial<PaymentMethod>>;
  PaymentStatus: ResolverTypeWrapper<Partial<PaymentStatus>>;
  Product: ResolverTypeWrapper<Partial<Product>>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Review: ResolverTypeWrapper<Partial<Review>>;
  StockChange: ResolverTypeWrapper<Partial<StockChange>>;
  StockLevel: ResolverTypeWrapper<Partial<StockLevel>>;
  String: ResolverTypeWrapper<Partial<Scalars['String']['output']>>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  WarehouseStock: ResolverTypeWrapper<Partial<WarehouseStock>>;
}>;

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = ResolversObject<{
  Boolean: Partial<Scalars['Boolean']['output']>;
  Customer: Partial<Customer>;
  DateTime: Partial<Scalars['DateTime']['output']>;
  Float: Partial<Scalars['Float']['output']>;
  ID: Partial<Scalars['ID']['output']>;
  Int: Partial<Scalars['Int']['output']>;
  Mutation: Record<PropertyKey, never>;
  Order: Partial<Order>;
  OrderLine: Partial<OrderLine>;
  OrderLineInput: Partial<OrderLineInput>;
  Payment: Partial<Payment>;
  PaymentEvent: Partial<PaymentEvent>;
  Product: Partial<Product>;
  Query: Record<PropertyKey, never>;
  Review: Partial<Review>;
  StockChange: Partial<StockChange>;
  StockLevel: Partial<StockLevel>;
  String: Partial<Scalars['String']['output']>;
  Subscription: Record<PropertyKey, never>;
  WarehouseStock: Partial<WarehouseStock>;
}>;

export type CustomerResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Customer'] = ResolversParentTypes['Customer']> = ResolversObject<{
  country?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  orders?: Resolver<Array<ResolversTypes['Order']>, ParentType, ContextType>;
}>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MutationResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = ResolversObject<{
  placeOrder?: Resolver<ResolversTypes['Order'], ParentType, ContextType, RequireFields<MutationPlaceOrderArgs, 'customerId' | 'idempotencyKey' | 'lines'>>;
}>;

export type OrderResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Order'] = ResolversParentTypes['Order']> = ResolversObject<{
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  customerId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  lines?: Resolver<Array<Maybe<ResolversTypes['OrderLine']>>, ParentType, ContextType>;
  payment?: Resolver<Maybe<ResolversTypes['Payment']>, ParentType, ContextType>;
  placedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['OrderStatus'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type OrderLineResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['OrderLine'] = ResolversParentTypes['OrderLine']> = ResolversObject<{
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType>;
  productId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  unitPrice?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
}>;

export type PaymentResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Payment'] = ResolversParentTypes['Payment']> = ResolversObject<{
  amount?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  method?: Resolver<ResolversTypes['PaymentMethod'], ParentType, ContextType>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType>;
  orderId?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['PaymentStatus'], ParentType, ContextType>;
}>;

export type PaymentEventResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['PaymentEvent'] = ResolversParentTypes['PaymentEvent']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  payment?: Resolver<ResolversTypes['Payment'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['PaymentEventType'], ParentType, ContextType>;
}>;

export type ProductResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Product'] = ResolversParentTypes['Product']> = ResolversObject<{
  category?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  currency?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  price?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  rating?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  reviews?: Resolver<Array<ResolversTypes['Review']>, ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  stock?: Resolver<Maybe<ResolversTypes['StockLevel']>, ParentType, ContextType>;
}>;

export type QueryResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = ResolversObject<{
  customer?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType, RequireFields<QueryCustomerArgs, 'id'>>;
  order?: Resolver<Maybe<ResolversTypes['Order']>, ParentType, ContextType, RequireFields<QueryOrderArgs, 'id'>>;
  product?: Resolver<Maybe<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductArgs, 'id'>>;
  products?: Resolver<Array<ResolversTypes['Product']>, ParentType, ContextType, RequireFields<QueryProductsArgs, 'first'>>;
}>;

export type ReviewResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Review'] = ResolversParentTypes['Review']> = ResolversObject<{
  author?: Resolver<Maybe<ResolversTypes['Customer']>, ParentType, ContextType>;
  body?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  customerId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  productId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rating?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type StockChangeResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['StockChange'] = ResolversParentTypes['StockChange']> = ResolversObject<{
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  occurredAt?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  stock?: Resolver<ResolversTypes['StockLevel'], ParentType, ContextType>;
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type StockLevelResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['StockLevel'] = ResolversParentTypes['StockLevel']> = ResolversObject<{
  sku?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  warehouses?: Resolver<Array<ResolversTypes['WarehouseStock']>, ParentType, ContextType>;
}>;

export type SubscriptionResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = ResolversObject<{
  paymentEvents?: SubscriptionResolver<ResolversTypes['PaymentEvent'], "paymentEvents", ParentType, ContextType, Partial<SubscriptionPaymentEventsArgs>>;
  stockChanged?: SubscriptionResolver<ResolversTypes['StockChange'], "stockChanged", ParentType, ContextType, Partial<SubscriptionStockChangedArgs>>;
}>;

export type WarehouseStockResolvers<ContextType = EventsContext, ParentType extends ResolversParentTypes['WarehouseStock'] = ResolversParentTypes['WarehouseStock']> = ResolversObject<{
  quantity?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  warehouse?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
}>;

export type Resolvers<ContextType = EventsContext> = ResolversObject<{
  Customer?: CustomerResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  Order?: OrderResolvers<ContextType>;
  OrderLine?: OrderLineResolvers<ContextType>;
  Payment?: PaymentResolvers<ContextType>;
  PaymentEvent?: PaymentEventResolvers<ContextType>;
  Product?: ProductResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  Review?: ReviewResolvers<ContextType>;
  StockChange?: StockChangeResolvers<ContextType>;
  StockLevel?: StockLevelResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  WarehouseStock?: WarehouseStockResolvers<ContextType>;
}>;

