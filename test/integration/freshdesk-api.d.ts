// freshdesk-api ships no types; the test only needs its constructor.
declare module 'freshdesk-api' {
  export default class Freshdesk {
    constructor(baseUrl: string, apiKey: string);
  }
}
