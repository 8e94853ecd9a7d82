/**
 * The federation service's pieces without a network: the JSON-LD it publishes checked against the
 * fields Mobilizon reads for an Event and what Mastodon needs of a Note, read back through Fedify's
 * own vocabulary (so a term the context does not define would be lost); the texts at 0, 1 and many;
 * the announcement checks; and the SSRF guards.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import jsonld from "@fedify/vocab-runtime/jsonld";
import { Create, Event, Note, Update } from "@fedify/vocab";
import { fetch as undiciFetch } from "undici";
import { getAddress } from "viem";
import {
  CONTEXT,
  type CampaignFacts,
  PUBLIC,
  Urls,
  activity,
  announcementNote,
  eventObject,
  eventUuid,
  resolutionText,
  tippingNote,
  tippingText,
  withContext,
} from "../../scripts/federation/objects.js";
import { announcementProblem } from "../../scripts/federation/service.js";
import {
  UnsafeUrlError,
  checkUrl,
  guardedAgent,
  guardedLookup,
  isPublicAddress,
} from "../../scripts/federation/ssrf.js";

const NNBSP = "\u202f";
const campaign = getAddress("0x00000000000000000000000000000000000000c1");
const successor = getAddress("0x00000000000000000000000000000000000000c2");
const urls = new Urls("https://fed.bascule.example/", "https://bascule.example/");
const facts: CampaignFacts = {
  address: campaign,
  title: "Grève des cantines",
  place: "Lille, place de la République",
  actionDate: Date.UTC(2027, 5, 12) / 1000,
  pledgeDeadline: Date.UTC(2027, 5, 9, 18) / 1000,
  levels: 3,
  createdAt: Date.UTC(2027, 4, 1) / 1000,
  lang: "fr",
};

/** Mobilizon's Event fields (framasoft/mobilizon docs/contribute/activity_pub.md and its transmogrifier), each with its expanded IRI. */
const MOBILIZON_EVENT_FIELDS: Record<string, string> = {
  name: "https://www.w3.org/ns/activitystreams#name",
  startTime: "https://www.w3.org/ns/activitystreams#startTime",
  endTime: "https://www.w3.org/ns/activitystreams#endTime",
  attributedTo: "https://www.w3.org/ns/activitystreams#attributedTo",
  to: "https://www.w3.org/ns/activitystreams#to",
  location: "https://www.w3.org/ns/activitystreams#location",
  url: "https://www.w3.org/ns/activitystreams#url",
  externalParticipationUrl: "https://joinmobilizon.org/ns#externalParticipationUrl",
  joinMode: "https://joinmobilizon.org/ns#joinMode",
  uuid: "http://schema.org#identifier",
  inLanguage: "http://schema.org#inLanguage",
  category: "http://schema.org#category",
};

/** The JSON-LD expanded with only the preloaded ActivityStreams context (no network). */
async function expand(doc: object): Promise<Record<string, unknown>> {
  const { preloadedContexts } = await import("@fedify/vocab-runtime");
  const documentLoader = async (url: string) => {
    const document = (preloadedContexts as Record<string, unknown>)[url];
    if (!document) throw new Error(`no network in this test: ${url}`);
    return { contextUrl: undefined, documentUrl: url, document };
  };
  const [expanded] = (await jsonld.expand(doc as never, {
    documentLoader: documentLoader as never,
  })) as Record<string, unknown>[];
  return expanded;
}

describe("federation objects", function () {
  describe("the action day as an Event", function () {
    const event = eventObject(facts, urls, "Europe/Paris");

    it("has every field Mobilizon reads, under the IRIs Mobilizon's context gives them", async function () {
      const expanded = await expand(withContext(event));
      for (const [field, iri] of Object.entries(MOBILIZON_EVENT_FIELDS)) {
        expect(expanded, `${field} (${iri})`).to.have.property(iri);
      }
      expect(expanded["@type"]).to.deep.equal(["https://www.w3.org/ns/activitystreams#Event"]);
    });

    it("gives the day, the place, the campaign page and a stable uuid", function () {
      expect(event).to.include({
        id: "https://fed.bascule.example/objects/0x00000000000000000000000000000000000000c1/event",
        name: "Grève des cantines",
        startTime: "2027-06-12T00:00:00Z",
        endTime: "2027-06-13T00:00:00Z",
        attributedTo: `https://fed.bascule.example/users/campaign-${campaign.toLowerCase()}`,
        url: `https://bascule.example/#/c/${campaign}`,
        externalParticipationUrl: `https://bascule.example/#/c/${campaign}`,
        joinMode: "external",
        category: "CAUSES",
        inLanguage: "fr",
        "ical:status": "TENTATIVE",
      });
      expect(event.to).to.deep.equal([PUBLIC]);
      expect(event.location).to.deep.equal({ type: "Place", name: "Lille, place de la République" });
      expect(event.uuid).to.equal(eventUuid(campaign.toLowerCase()));
      expect(event.uuid).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(eventUuid(successor)).to.not.equal(event.uuid);
    });

    it("has no location when the campaign gives no place", function () {
      expect(eventObject({ ...facts, place: "" }, urls, "Europe/Paris")).to.not.have.property("location");
    });

    it("reads back through Fedify's vocabulary as the same Event", async function () {
      const create = await Create.fromJsonLd(activity("Create", urls, campaign, "create-event", event));
      const object = await create.getObject();
      expect(object).to.be.instanceOf(Event);
      const e = object as Event;
      expect(e.name?.toString()).to.equal("Grève des cantines");
      expect(e.startTime?.toString()).to.equal("2027-06-12T00:00:00Z");
      expect(e.attributionId?.href).to.equal(urls.actor(campaign));
      expect(create.actorId?.href).to.equal(urls.actor(campaign));
      expect(create.toIds.map((u) => u.href)).to.deep.equal([PUBLIC]);
    });

    it("says at resolution how many strike, or that it failed, and marks the Event CONFIRMED or CANCELLED", async function () {
      const won = eventObject(facts, urls, "Europe/Paris", {
        result: { tippingLevel: 2, committed: 5 },
        at: facts.actionDate - 3600,
      });
      expect(won["ical:status"]).to.equal("CONFIRMED");
      expect(won.updated).to.equal("2027-06-11T23:00:00Z");
      expect(won.content).to.contain(
        `Campagne réussie${NNBSP}: seuil 2 sur 3 atteint, 5 personnes font grève le 12 juin 2027.`,
      );
      expect((won.contentMap as Record<string, string>).en).to.contain(
        "Campaign succeeded: threshold 2 of 3 reached, 5 people strike on 12 June 2027.",
      );
      const lost = eventObject(facts, urls, "Europe/Paris", {
        result: { tippingLevel: 0, committed: 0 },
        at: facts.actionDate,
      });
      expect(lost["ical:status"]).to.equal("CANCELLED");
      expect(lost.content).to.contain(
        `Campagne échouée${NNBSP}: aucun seuil n’a été atteint, personne n’est tenu de faire grève.`,
      );
      const update = await Update.fromJsonLd(activity("Update", urls, campaign, "update-event", lost));
      expect((await update.getObject())?.id?.href).to.equal(urls.event(campaign));
    });

    it("counts one striker in the singular", function () {
      expect(resolutionText(facts, { tippingLevel: 1, committed: 1 }, "fr", "UTC")).to.equal(
        `Campagne réussie${NNBSP}: seuil 1 sur 3 atteint, 1 personne fait grève le 12 juin 2027.`,
      );
      expect(resolutionText(facts, { tippingLevel: 1, committed: 1 }, "en", "UTC")).to.equal(
        "Campaign succeeded: threshold 1 of 3 reached, 1 person strikes on 12 June 2027.",
      );
    });
  });

  describe("tipping-level changes as Notes", function () {
    it("says the level reached, lost or none, with the count at 1 and many", function () {
      expect(tippingText(facts, 0, 1, 1, "fr")).to.equal(
        `Seuil 1 sur 3 atteint${NNBSP}: 1 personne tenue de faire grève pour l’instant. Rien n’est joué avant la date limite.`,
      );
      expect(tippingText(facts, 1, 2, 12, "fr")).to.equal(
        `Seuil 2 sur 3 atteint${NNBSP}: 12 personnes tenues de faire grève pour l’instant. Rien n’est joué avant la date limite.`,
      );
      expect(tippingText(facts, 2, 1, 3, "en")).to.equal(
        "Back to threshold 1 of 3: 3 people committed for now. Nothing is settled before the deadline.",
      );
      expect(tippingText(facts, 0, 1, 1, "en")).to.equal(
        "Threshold 1 of 3 reached: 1 person committed for now. Nothing is settled before the deadline.",
      );
      expect(tippingText(facts, 1, 0, 0, "fr")).to.equal(
        "Plus aucun seuil n’est atteint pour l’instant (il en faut un à la date limite).",
      );
      expect(tippingText(facts, 1, 0, 0, "en")).to.equal(
        "No threshold is reached any more for now (one must be by the deadline).",
      );
    });

    it("is a public Note by the campaign actor, in both languages, that Fedify reads back", async function () {
      const note = tippingNote(facts, urls, { from: 0, to: 1, committed: 2, block: 40, at: facts.createdAt + 60 });
      expect(note).to.include({ type: "Note", attributedTo: urls.actor(campaign), published: "2027-05-01T00:01:00Z" });
      expect(note.to).to.deep.equal([PUBLIC]);
      expect(Object.keys(note.contentMap as object).sort()).to.deep.equal(["en", "fr"]);
      const create = await Create.fromJsonLd(activity("Create", urls, campaign, "n", note));
      const object = (await create.getObject()) as Note;
      expect(object).to.be.instanceOf(Note);
      expect(object.content?.toString()).to.contain("Seuil 1 sur 3 atteint");
    });
  });

  describe("announcements as Notes", function () {
    const a = {
      id: "0x" + "ab".repeat(32),
      campaign,
      chainId: 31337,
      lang: "fr" as const,
      title: "Rendez-vous <devant> l’usine",
      text: "Premier paragraphe.\nSuite.\n\nSecond paragraphe & fin.",
      place: "Porte B",
      startTime: Date.UTC(2027, 5, 12, 6, 30) / 1000,
      successor: null,
      signer: getAddress("0x00000000000000000000000000000000000000aa"),
      signature: "0x" + "11".repeat(65),
      publishedAt: facts.createdAt + 100,
    };

    it("carries the title, the text, the place and the time, escaped", function () {
      const note = announcementNote(facts, urls, a, "Europe/Paris");
      expect(note.content).to.equal(
        `<p><strong>Rendez-vous &lt;devant&gt; l’usine</strong></p>` +
          `<p>Premier paragraphe.<br>Suite.</p><p>Second paragraphe &amp; fin.</p>` +
          `<p>Lieu${NNBSP}: Porte B<br>Quand${NNBSP}: 12 juin 2027 à 08:30</p>` +
          `<p><a href="https://bascule.example/#/c/${campaign}">https://bascule.example/#/c/${campaign}</a></p>`,
      );
      expect(note.contentMap).to.deep.equal({ fr: note.content });
      expect(note.id).to.equal(urls.note(campaign, `announcement-${"ab".repeat(32)}`));
    });

    it("points a failed campaign to its successor, by page and by handle", function () {
      const note = announcementNote(facts, urls, { ...a, lang: "en", successor, place: null, startTime: null }, "UTC");
      expect(note.content).to.contain(
        `<p>What next: <a href="https://bascule.example/#/c/${successor}">the new campaign</a> (@campaign-${successor.toLowerCase()}@fed.bascule.example)</p>`,
      );
      expect(note.content).to.not.contain("Place:");
    });

    it("refuses another campaign's, another chain's, oversized or malformed announcements", function () {
      expect(announcementProblem(a, campaign, 31337)).to.equal(null);
      expect(announcementProblem({ ...a, campaign: successor }, campaign, 31337)).to.equal(
        "another campaign's announcement",
      );
      expect(announcementProblem({ ...a, chainId: 1 }, campaign, 31337)).to.equal("another chain's announcement");
      expect(announcementProblem({ ...a, title: "x".repeat(201) }, campaign, 31337)).to.equal("bad or oversized title");
      expect(announcementProblem({ ...a, text: "x".repeat(5001) }, campaign, 31337)).to.equal("bad or oversized text");
      expect(announcementProblem({ ...a, lang: "de" }, campaign, 31337)).to.equal("bad lang");
      expect(announcementProblem({ ...a, successor: "javascript:alert(1)" }, campaign, 31337)).to.equal(
        "bad successor",
      );
      expect(announcementProblem({ ...a, id: "../../x" }, campaign, 31337)).to.equal("bad id");
      expect(announcementProblem(null, campaign, 31337)).to.equal("not an object");
    });
  });

  it("uses one context that defines every non-ActivityStreams term it emits", function () {
    const terms = Object.keys(CONTEXT[1]);
    for (const t of ["uuid", "category", "inLanguage", "joinMode", "externalParticipationUrl", "isOnline"]) {
      expect(terms).to.include(t);
    }
  });

  describe("SSRF guards", function () {
    it("tells public addresses from loopback, private, link-local, CGNAT, reserved and mapped ones", function () {
      for (const ip of ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
        expect(isPublicAddress(ip), ip).to.equal(true);
      for (const ip of [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "::",
        "fe80::1",
        "fd00::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "not an ip",
      ])
        expect(isPublicAddress(ip), ip).to.equal(false);
    });

    it("refuses URLs that are not https, carry credentials, or name a private host", function () {
      expect(checkUrl("https://mastodon.example/inbox").href).to.equal("https://mastodon.example/inbox");
      for (const url of [
        "http://mastodon.example/inbox",
        "https://user:pw@mastodon.example/inbox",
        "https://127.0.0.1/inbox",
        "https://[::1]/inbox",
        "https://10.0.0.5/inbox",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/inbox",
        "https://a.localhost/inbox",
        "file:///etc/passwd",
        "not a url",
      ])
        expect(() => checkUrl(url), url).to.throw(UnsafeUrlError);
      expect(checkUrl("https://127.0.0.1:8443/inbox", { allowPrivateAddress: true }).port).to.equal("8443");
      expect(() => checkUrl("http://127.0.0.1/inbox", { allowPrivateAddress: true })).to.throw(UnsafeUrlError);
    });

    it("refuses a name that resolves to a private address when connecting (DNS rebinding)", async function () {
      const error = await new Promise<NodeJS.ErrnoException | null>((done) =>
        guardedLookup("localhost", {}, (e) => done(e)),
      );
      expect(error?.code).to.equal("EPRIVATEADDRESS");
    });

    it("never opens a connection to loopback through the guarded agent, and does with the test flag", async function () {
      let hits = 0;
      const server = createServer((_req, res) => {
        hits++;
        res.end("ok");
      });
      await new Promise<void>((done) => server.listen(0, "127.0.0.1", () => done()));
      const { port } = server.address() as AddressInfo;
      try {
        const guarded = guardedAgent();
        // A name, so the lookup guard (not checkUrl) is what refuses it.
        const refused = await undiciFetch(`http://localhost:${port}/`, { dispatcher: guarded }).then(
          () => null,
          (e: { cause?: { code?: string } }) => e.cause?.code,
        );
        expect(refused).to.equal("EPRIVATEADDRESS");
        expect(hits).to.equal(0);
        await guarded.close();
        const open = guardedAgent({ allowPrivateAddress: true });
        expect(await (await undiciFetch(`http://localhost:${port}/`, { dispatcher: open })).text()).to.equal("ok");
        expect(hits).to.equal(1);
        await open.close();
      } finally {
        server.close();
      }
    });
  });
});
