"""Kinds: posts, who holds or held them, and seats on bodies."""

from __future__ import annotations

from .kinds import LSCP, ORG, RESPONSIBILITY, Kind, boolean, period, ref, replaced, term

GROUP = "Posts, holders and seats"

ROLES = {name: LSCP + iri for name, iri in (
    ("chair", "ChairRole"), ("joint-chair", "JointChairRole"), ("member", "MemberRole"), ("observer", "ObserverRole"),
    ("lead-representative", "LeadRepresentativeRole"), ("delegated-senior-officer", "DelegatedSeniorOfficerRole"),
    ("independent-scrutineer", "IndependentScrutineerRole"))}
STATUSES = {"current": LSCP + "CurrentHolding", "former": LSCP + "FormerHolding"}

KINDS = [
    Kind("post", "post", {"post": ORG + "Post"}, [
        ref("post_in", ORG + "postIn", "org", "The organisation, body or partnership the post belongs to (one)."),
        term("role", ORG + "role", ROLES, "Its role: " + ", ".join(ROLES) + "."),
        ref("accountable_for", LSCP + "accountableFor", "org", "A lead representative's agency."),
        ref("delegates_to", LSCP + "delegatesTo", "post", "The post a lead representative delegates to."),
        ref("represents", LSCP + "represents", "local", "A sector or service it represents on a body."),
        ref("represents_on", LSCP + "representsOn", "body"),
        RESPONSIBILITY,
        ref("meets_regularly_with", LSCP + "meetsRegularlyWith", "post"),
        boolean("independent", LSCP + "independent",
                "true when the source calls the post independent (an independent chair or scrutineer)."),
        ref("leads", LSCP + "leads", "partnership", "What the post leads, where the source says so: the partnership "
            "(a bare name) or a body (a path: NAME/body/NAME). A scrutineer who leads."),
        *period(end="When the post ended (a post that no longer exists)."),
        replaced("post", "What it replaced, of any kind: a post (a bare name), or a path."),
    ], "A post (id/PARTNERSHIP/post/NAME): lead representatives, delegated officers, chairs, the scrutineer."),
    Kind("holding", "local", {"post-holding": LSCP + "PostHolding"}, [
        ref("holder", LSCP + "holder", "person"),
        ref("post", LSCP + "heldPost", "post"),
        term("status", LSCP + "holdingStatus", STATUSES, "current or former."),
        *period("When the holder took the post, where the source says.",
                "When the holder left the post, where the source says."),
    ], "Who holds or held a post, when the source says so (current or former)."),
    Kind("seat", "seat", {"seat": LSCP + "Seat"}, [
        ref("body", ORG + "organization", "body", "The body the seat is on."),
        ref("member", ORG + "member", "org", "Who sits: an organisation, service area or person."),
        ref("post", LSCP + "seatPost", "post", "The post that takes the seat."),
        term("role", ORG + "role", ROLES, "member, chair, joint-chair, observer, ..."),
        ref("represented_by", LSCP + "representedBy", "post"),
    ], "A seat on a body: organisation or person, post, role (id/PARTNERSHIP/seat/NAME)."),
]
