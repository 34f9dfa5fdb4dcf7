// Sends one user's calls to an Orleans.Segments server with Segment's official Node.js client, as a mobile
// backend would. Usage: node send.mjs <host> <writeKey> <userId>
// Exits 0 only when every call was delivered; otherwise prints why and exits 1.
import { Analytics } from '@segment/analytics-node'

const [host, writeKey, userId] = process.argv.slice(2)
if (!host || !writeKey || !userId) {
  console.error('usage: node send.mjs <host> <writeKey> <userId>')
  process.exit(2)
}

const analytics = new Analytics({ writeKey, host, flushAt: 5, maxRetries: 2 })
const failures = []

analytics.on('error', (err) => failures.push(`error event: ${err?.code ?? ''} ${err?.reason ?? err}`))
analytics.on('http_response', (res) => console.log(`POST ${res.url} -> ${res.status} ${res.statusText}`))

/** A callback that records a failed delivery of one call. */
const delivered = (call) => (err) => {
  if (err) failures.push(`${call}: ${err?.reason ?? err}`)
}

analytics.identify({ userId, traits: { name: 'Ada Lovelace', email: 'ada@example.com', plan: 'pro' } }, delivered('identify'))
for (let i = 0; i < 3; i++) {
  analytics.track({ userId, event: 'Product Viewed', properties: { category: 'books', sku: `sku-${i}` } }, delivered(`track #${i}`))
}
analytics.track(
  {
    userId,
    event: 'Order Completed',
    messageId: `order-${userId}-1`,
    properties: { revenue: 42.5, category: 'books' },
  },
  delivered('Order Completed'),
)
analytics.page({ userId, name: 'Home', properties: { path: '/' } }, delivered('page'))
analytics.screen({ userId, name: 'Cart' }, delivered('screen'))

await analytics.closeAndFlush({ timeout: 30000 })

if (failures.length > 0) {
  console.error(`${failures.length} call(s) failed:\n${failures.join('\n')}`)
  process.exit(1)
}
console.log('all 7 calls delivered')
