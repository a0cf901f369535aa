#!/usr/bin/env python3
"""Writes samples/articles.csv and samples/queries.jsonl for embedline.

The prose below was written for this project (Apache-2.0, like the rest of it): short
encyclopaedia-style articles in eight categories, plus ten long multi-paragraph ones so that
token-window chunking with overlap gets exercised. Authors are fictional; `year` is the year the
(fictional) article was written, chosen by a seeded generator so the file is reproducible.

    python3 samples/make_articles.py          # rewrites both files next to this script
    python3 samples/make_articles.py --check  # verifies the files on disk match, writes nothing

Columns: id,title,body,category,year,author. Python's csv module does the quoting: fields with
commas, double quotes ("" inside a quoted field) or newlines are quoted; the rest are not.
"""
from __future__ import annotations

import csv
import io
import json
import random
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSV_PATH = HERE / "articles.csv"
QUERIES_PATH = HERE / "queries.jsonl"
SEED = 20240611


def long_text(text: str) -> str:
    """A long body: dedented, paragraphs separated by one blank line, lines within a paragraph
    joined (so each paragraph is one line of prose)."""
    paragraphs = textwrap.dedent(text).strip().split("\n\n")
    return "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)


# Each category: (id prefix, name, [(title, body), ...]).
# ---------------------------------------------------------------------------------------------
ASTRONOMY = [
    ("How Stars Shine: Nuclear Fusion in Stellar Cores",
     "A star produces its energy by nuclear fusion deep in its core, where temperatures reach "
     "millions of degrees. In stars like the Sun, hydrogen nuclei are fused into helium through "
     "the proton-proton chain, while heavier stars rely mostly on the carbon-nitrogen-oxygen "
     "cycle. Each helium nucleus weighs slightly less than the four protons that formed it, and "
     "that missing mass is released as energy according to Einstein's E = mc². The energy then "
     "takes thousands of years to work its way out to the surface before escaping as light."),
    ("Black Holes",
     "A black hole is a region of space where gravity is so strong that nothing, not even light, "
     "can escape once it crosses the boundary called the event horizon. Stellar-mass black holes "
     "form when very massive stars collapse at the end of their lives. Supermassive black holes, "
     "millions or billions of times the mass of the Sun, sit at the centres of most large "
     "galaxies. In 2019 the Event Horizon Telescope published the first image of the shadow of "
     "one, in the galaxy M87."),
    ("Why the Moon Has Phases",
     "The Moon does not make its own light; we see the half of it that faces the Sun. As the "
     "Moon orbits Earth roughly every 29.5 days, the fraction of that sunlit half visible from "
     "Earth changes, giving the familiar sequence from new moon through crescent, quarter and "
     "gibbous to full moon and back. The phases have nothing to do with Earth's shadow, which "
     "falls on the Moon only during a lunar eclipse."),
    ("Solar Eclipses",
     "A solar eclipse happens when the Moon passes directly between the Sun and Earth and casts "
     "its shadow on our planet. By coincidence the Sun is about 400 times wider than the Moon but "
     "also about 400 times farther away, so the two appear almost the same size in the sky. "
     "During a total eclipse the Moon covers the Sun's bright disc completely, and the faint, "
     "pearly corona becomes visible for a few minutes. Looking at any partial phase without "
     "proper eye protection can permanently damage the retina."),
    ("Finding Exoplanets with the Transit Method",
     "An exoplanet is a planet that orbits a star other than the Sun. Most of the thousands known "
     "today were found by the transit method: when a planet crosses in front of its star, the "
     "star's brightness dips by a tiny, regular amount. The depth of the dip reveals the planet's "
     "size, and the time between dips gives its orbital period. Space telescopes such as Kepler "
     "and TESS watched hundreds of thousands of stars for these faint, repeating shadows."),
    ("The \"Goldilocks Zone\" Around a Star",
     "The habitable zone, nicknamed the \"Goldilocks zone\", is the range of distances from a "
     "star where a planet could keep liquid water on its surface: not too hot, not too cold. For "
     "a dim red dwarf the zone lies very close in, while for a hot, bright star it lies much "
     "farther out. Being in the zone does not make a planet habitable by itself; its atmosphere, "
     "mass and geology matter just as much."),
    ("Comets",
     "Comets are icy bodies left over from the formation of the Solar System, often described as "
     "dirty snowballs. Far from the Sun they are dark and inert, but as one approaches, sunlight "
     "turns its ices into gas that drags dust off the nucleus. This forms a glowing coma and two "
     "tails, one of dust and one of ionised gas, both pointing away from the Sun. Short-period "
     "comets such as Halley's come from the Kuiper belt region, while long-period comets fall in "
     "from the distant Oort cloud."),
    ("The Asteroid Belt",
     "Between the orbits of Mars and Jupiter lies the main asteroid belt, a wide ring of rocky "
     "and metallic bodies. Despite how it appears in films, the belt is mostly empty space, and "
     "spacecraft cross it without difficulty. Its total mass is only a few percent of the Moon's, "
     "and about a third of that is in the dwarf planet Ceres. Jupiter's gravity is thought to "
     "have prevented these fragments from ever assembling into a planet."),
    ("Jupiter, the Giant Planet",
     "Jupiter is the largest planet in the Solar System, more than twice as massive as all the "
     "other planets combined. It is a gas giant made mostly of hydrogen and helium, with no solid "
     "surface to stand on. Its Great Red Spot is a storm larger than Earth that has been "
     "observed for centuries. Jupiter has dozens of moons, including the four large Galilean "
     "moons: Io, Europa, Ganymede and Callisto."),
    ("The Rings of Saturn",
     "Saturn's rings are made of countless pieces of water ice and a little rock, ranging from "
     "grains of dust to chunks the size of a house. Although the ring system is about 280,000 "
     "kilometres across, it is typically only tens of metres thick. Gaps in the rings, such as "
     "the Cassini Division, are cleared by the gravity of Saturn's moons. Measurements from the "
     "Cassini spacecraft suggested the rings may be much younger than the planet itself."),
    ("Mars, the Red Planet",
     "Mars owes its rusty colour to iron oxide in the dust that covers its surface. It has the "
     "tallest volcano in the Solar System, Olympus Mons, and a canyon system, Valles Marineris, "
     "that would stretch across the continental United States. Dry riverbeds, deltas and "
     "minerals that form in water show that liquid water once flowed there. Today the planet is "
     "cold and its atmosphere, mostly carbon dioxide, is less than one percent as dense as "
     "Earth's."),
    ("Venus and the Runaway Greenhouse Effect",
     "Venus is nearly the same size as Earth, yet its surface is hot enough to melt lead, at "
     "about 465 degrees Celsius. Its thick carbon dioxide atmosphere traps heat in a runaway "
     "greenhouse effect, making it hotter than Mercury even though it is farther from the Sun. "
     "Clouds of sulphuric acid hide the surface from view. Venus also spins backwards compared "
     "with most planets, and one day there lasts longer than its year."),
    ("Mercury",
     "Mercury is the smallest planet and the closest to the Sun, completing an orbit in just 88 "
     "days. With almost no atmosphere to hold heat, its daytime side bakes at over 400 degrees "
     "Celsius while its night side falls below minus 170. Its surface is heavily cratered and "
     "looks much like the Moon's. Surprisingly, water ice survives in permanently shadowed "
     "craters near its poles."),
    ("Neutron Stars and Pulsars",
     "When a massive star explodes as a supernova, its core can collapse into a neutron star: an "
     "object with more mass than the Sun squeezed into a sphere about 20 kilometres across. A "
     "teaspoon of its material would weigh billions of tonnes. Many neutron stars spin rapidly "
     "and sweep beams of radio waves across space like a lighthouse. Astronomers detect these "
     "regular flashes as pulsars, first discovered by Jocelyn Bell Burnell in 1967."),
    ("Supernovae",
     "A supernova is the explosion of a star, briefly outshining an entire galaxy. Core-collapse "
     "supernovae occur when a massive star runs out of fuel and its core can no longer support "
     "itself against gravity. Type Ia supernovae happen when a white dwarf in a binary system "
     "gains too much mass and is destroyed in a thermonuclear blast. These explosions scatter "
     "heavy elements into space, and much of the iron, oxygen and calcium on Earth was forged "
     "in stars that died this way."),
    ("Red Giants and White Dwarfs",
     "When a star like the Sun exhausts the hydrogen in its core, the core contracts and the "
     "outer layers swell enormously, turning the star into a red giant. In about five billion "
     "years the Sun will expand this way, perhaps engulfing Mercury and Venus. Eventually it "
     "will shed its outer layers as a glowing planetary nebula. What remains is a white dwarf, a "
     "hot, Earth-sized core that slowly cools over billions of years."),
    ("The Milky Way Galaxy",
     "The Milky Way is the barred spiral galaxy that contains our Solar System, along with "
     "somewhere between 100 and 400 billion stars. It is roughly 100,000 light-years across, and "
     "the Sun sits about 26,000 light-years from the centre, in a minor spiral arm. From a dark "
     "site, the galaxy's disc appears as a pale band of light across the night sky. At its "
     "centre lies Sagittarius A*, a black hole about four million times the mass of the Sun."),
    ("The Andromeda Galaxy",
     "The Andromeda Galaxy is the nearest large spiral galaxy to the Milky Way, about 2.5 "
     "million light-years away. On a dark night it can be seen with the naked eye as a faint, "
     "elongated smudge. In the 1920s Edwin Hubble measured the distance to variable stars within "
     "it and proved it was a separate galaxy, not a nebula inside our own. Andromeda and the "
     "Milky Way are approaching each other and are expected to merge in several billion years."),
    ("The Cosmic Microwave Background",
     "The cosmic microwave background is faint radiation that fills the whole sky, left over "
     "from about 380,000 years after the Big Bang. At that time the universe had cooled enough "
     "for electrons and protons to form neutral atoms, allowing light to travel freely for the "
     "first time. That light has since been stretched by cosmic expansion into microwaves with a "
     "temperature of about 2.7 kelvin. Tiny variations in it map the seeds of today's galaxies."),
    ("Hubble's Law and the Expanding Universe",
     "In 1929 Edwin Hubble showed that distant galaxies are moving away from us, and that the "
     "farther away a galaxy is, the faster it recedes. This relation, now called the "
     "Hubble-Lemaître law, is evidence that space itself is expanding. The rate of expansion is "
     "described by the Hubble constant. Different methods of measuring it currently give "
     "slightly different answers, a puzzle known as the Hubble tension."),
    ("Dark Matter",
     "Galaxies rotate so fast that the gravity of their visible stars and gas should not be "
     "able to hold them together. Astronomers conclude that they are embedded in halos of dark "
     "matter, which has mass but does not emit or absorb light. Gravitational lensing and the "
     "cosmic microwave background support the same picture. Dark matter appears to make up "
     "about 85 percent of the matter in the universe, yet no experiment has identified what it "
     "is made of."),
    ("Dark Energy",
     "In 1998 two teams studying distant Type Ia supernovae found that the expansion of the "
     "universe is speeding up rather than slowing down. The unknown cause of this acceleration "
     "is called dark energy. It seems to make up roughly 70 percent of the total energy content "
     "of the universe. One leading explanation is a cosmological constant, an energy belonging "
     "to empty space itself."),
    ("Light-Years and Parsecs",
     "Astronomical distances are so large that kilometres become awkward. A light-year is the "
     "distance light travels in one year, about 9.46 trillion kilometres; it measures distance, "
     "not time. Professional astronomers often use the parsec, about 3.26 light-years, which "
     "comes from the geometry of stellar parallax. The nearest star beyond the Sun, Proxima "
     "Centauri, is about 4.2 light-years, or 1.3 parsecs, away."),
    ("Meteor Showers",
     "A meteor shower occurs when Earth passes through a stream of debris left behind by a comet. "
     "The grains, often no larger than sand, hit the upper atmosphere at tens of kilometres per "
     "second and burn up as bright streaks. Because the particles travel on parallel paths, the "
     "meteors seem to radiate from one point in the sky, which gives each shower its name. The "
     "Perseids in August and the Geminids in December are among the most reliable."),
    ("Auroras: the Northern and Southern Lights",
     "Auroras are curtains of light that appear in the sky near the polar regions. They form "
     "when charged particles from the solar wind are guided by Earth's magnetic field into the "
     "upper atmosphere, where they collide with oxygen and nitrogen. Oxygen gives the common "
     "green and rarer red glow, while nitrogen adds blue and purple. Strong solar storms can push "
     "auroras far from the poles, making them visible at unusually low latitudes."),
    ("Why the Sea Has Tides",
     "Ocean tides are caused mainly by the Moon's gravity, which pulls slightly harder on the "
     "side of Earth facing it than on the far side. This difference stretches the oceans into "
     "two bulges, so most coasts see two high tides and two low tides each day. The Sun adds a "
     "smaller effect: when Sun and Moon line up, at new and full moon, the result is larger "
     "spring tides. When they pull at right angles, the weaker neap tides follow."),
    ("Kepler's Laws of Planetary Motion",
     "In the early seventeenth century Johannes Kepler, working from Tycho Brahe's careful "
     "observations, described how planets move. His first law states that orbits are ellipses "
     "with the Sun at one focus. The second says a planet sweeps out equal areas in equal times, "
     "so it moves faster when closer to the Sun. The third relates the square of a planet's "
     "orbital period to the cube of its average distance. Newton later explained all three with "
     "his law of gravitation."),
    ("Refracting and Reflecting Telescopes",
     "A telescope gathers light and brings it to a focus. Refracting telescopes use lenses, as "
     "in the instruments Galileo turned to the sky in 1609, but large lenses are heavy and "
     "split colours. Reflecting telescopes, first built successfully by Isaac Newton, use curved "
     "mirrors instead, which can be made much larger and supported from behind. Nearly all "
     "major research telescopes today are reflectors, with mirrors many metres across."),
    ("Sunspots and the Solar Cycle",
     "Sunspots are dark, cooler patches on the Sun's surface where intense magnetic fields block "
     "the flow of heat from below. Their numbers rise and fall over a cycle of about eleven "
     "years. Around solar maximum, flares and coronal mass ejections are more frequent and can "
     "disturb satellites, radio communications and power grids on Earth. The Maunder Minimum, a "
     "long period with very few sunspots, occurred in the late seventeenth century."),
    ("Gravitational Waves",
     "Gravitational waves are ripples in spacetime produced by accelerating masses, predicted by "
     "Einstein's general theory of relativity in 1916. They are extraordinarily weak by the time "
     "they reach Earth. In 2015 the LIGO detectors recorded the first direct signal, from two "
     "black holes merging more than a billion light-years away. The detectors measured a change "
     "in the length of their four-kilometre arms smaller than a thousandth of a proton's "
     "width."),
    ("How Astronomers Measure Cosmic Distances",
     long_text("""
        Almost everything astronomers want to know about a star or galaxy depends on how far away
        it is. Brightness alone is ambiguous: a faint point of light might be a modest star
        nearby or a brilliant one very far off. Over the past two centuries astronomers have
        built what is often called the cosmic distance ladder, a series of methods in which each
        rung is calibrated by the one below it. No single technique works at every scale, but
        together they reach from the planets to the edge of the observable universe.

        The lowest rung is the Solar System itself. Radar signals bounced off Venus and the
        asteroids, and laser pulses reflected from mirrors left on the Moon by the Apollo
        astronauts, give distances within the Solar System to great precision. From these
        measurements comes an accurate value for the astronomical unit, the average distance
        between Earth and the Sun, about 150 million kilometres. That number is the baseline for
        the next step.

        The next rung is parallax, the only direct geometric way to measure the distance to a
        star. As Earth travels around the Sun, a nearby star appears to shift very slightly
        against the background of much more distant stars, in the same way that a finger held
        at arm's length seems to jump when you close one eye and then the other. The angle of
        that shift, together with the size of Earth's orbit, gives the distance by simple
        trigonometry. A star whose parallax is one arcsecond lies at a distance of one parsec,
        which is where the unit gets its name. Even the nearest stars have parallaxes smaller
        than one arcsecond, so the measurements are extremely delicate. The European Space
        Agency's Hipparcos satellite, and later the Gaia mission, measured parallaxes for more
        than a billion stars, extending reliable geometric distances across a large part of our
        own galaxy.

        Beyond the reach of parallax, astronomers rely on standard candles: objects whose true
        brightness is known, so that their apparent brightness reveals their distance. Light
        spreads out as it travels, and its brightness falls with the square of the distance, so
        a candle that looks four times fainter is twice as far away. The most famous standard
        candles are Cepheid variables, pulsating yellow supergiant stars. In 1912 Henrietta Swan
        Leavitt, studying Cepheids in the Small Magellanic Cloud, discovered that the longer a
        Cepheid takes to brighten and fade, the more luminous it is. Measure the period of a
        Cepheid, and you know its true brightness; compare that with how bright it appears, and
        you know its distance. Edwin Hubble used Cepheids in the Andromeda Galaxy to show that
        it lies far outside the Milky Way, settling a long debate about the size of the
        universe.

        Cepheids are bright, but not bright enough to be seen in very distant galaxies. For
        those, astronomers turn to Type Ia supernovae, the thermonuclear explosions of white
        dwarf stars. These explosions reach a similar peak brightness, and the small
        differences between them can be corrected by observing how quickly each one fades. A
        Type Ia supernova can briefly outshine its entire host galaxy, making it visible across
        billions of light-years. Calibrating supernovae against Cepheids in nearby galaxies that
        have hosted both allows the ladder to climb much higher. It was by comparing the
        distances of remote supernovae with the speeds of their galaxies that two teams
        discovered, in 1998, that the expansion of the universe is accelerating.

        At the largest scales, astronomers use redshift. Light from a receding galaxy is
        stretched to longer, redder wavelengths, and because the universe is expanding, more
        distant galaxies recede faster. Once the rate of expansion, the Hubble constant, has
        been calibrated with the lower rungs of the ladder, a galaxy's redshift becomes a
        measure of its distance. Redshift surveys have mapped millions of galaxies and revealed
        the vast filaments and voids of the cosmic web.

        Each rung carries the uncertainties of the rungs beneath it, so a small error in the
        parallax of nearby Cepheids can ripple all the way up to estimates of the age of the
        universe. This is why astronomers keep refining every step, and why independent checks
        matter so much. Some methods skip the ladder altogether: the pattern of sound waves
        frozen into the cosmic microwave background, for example, acts as a standard ruler of
        known size. The fact that the ruler and the ladder currently give slightly different
        values for the Hubble constant is one of the most interesting open problems in modern
        cosmology.
     """)),
]

BIOLOGY = [
    ("Photosynthesis",
     "Photosynthesis is the process by which plants, algae and some bacteria turn light energy "
     "into chemical energy. Inside chloroplasts, the green pigment chlorophyll absorbs sunlight, "
     "and that energy is used to split water and combine carbon dioxide into sugar. Oxygen is "
     "released as a by-product, which is why nearly all the oxygen in the air we breathe comes "
     "from photosynthetic life. The sugars made this way feed the plant and, directly or "
     "indirectly, almost every other living thing."),
    ("Cellular Respiration and the Mitochondria",
     "Cells release the energy stored in food through cellular respiration. Glucose is broken "
     "down step by step, first in the cytoplasm by glycolysis and then inside the mitochondria, "
     "where oxygen accepts the electrons at the end of a chain of proteins. The energy is "
     "captured in molecules of ATP, the cell's universal energy currency. Mitochondria carry "
     "their own small loop of DNA, a clue that they descend from bacteria that were engulfed by "
     "an ancestral cell long ago."),
    ("The Double Helix: How DNA Is Built",
     "DNA is a long molecule made of two strands that wind around each other in a double helix. "
     "Each strand is a chain of nucleotides carrying one of four bases: adenine, thymine, "
     "guanine or cytosine. Adenine always pairs with thymine and guanine with cytosine, so one "
     "strand can serve as a template for copying the other. The structure was described in 1953 "
     "by James Watson and Francis Crick, relying on X-ray images produced by Rosalind Franklin "
     "and Maurice Wilkins."),
    ("From Gene to Protein: Transcription and Translation",
     "A gene becomes a working protein in two main steps. In transcription, an enzyme copies the "
     "DNA sequence of the gene into a molecule of messenger RNA. In translation, ribosomes read "
     "that RNA three bases at a time, and each three-letter codon calls for a particular amino "
     "acid. The growing chain of amino acids then folds into a precise three-dimensional shape "
     "that determines what the protein does."),
    ("Mitosis: How Cells Divide",
     "Mitosis is the process by which one cell divides into two genetically identical daughter "
     "cells. Before it begins, the cell copies all of its chromosomes. During mitosis the copies "
     "condense, line up in the middle of the cell and are pulled to opposite ends by fibres "
     "called the spindle. Mitosis allows organisms to grow, to heal wounds and to replace worn "
     "out cells, and errors in its control can lead to cancer."),
    ("Meiosis and Sexual Reproduction",
     "Meiosis is a special kind of cell division that produces eggs and sperm. It involves two "
     "rounds of division and halves the number of chromosomes, so that when an egg and a sperm "
     "combine at fertilisation the full number is restored. Along the way, matching chromosomes "
     "swap segments in a process called crossing over. This shuffling is one reason why siblings "
     "with the same parents are never genetically identical, unless they are identical twins."),
    ("Natural Selection",
     "Natural selection is the main mechanism of evolution, described by Charles Darwin and "
     "Alfred Russel Wallace in 1858. Individuals in a population vary, some of that variation is "
     "inherited, and some variants leave more offspring than others in a given environment. Over "
     "many generations, traits that help survival and reproduction become more common. Classic "
     "examples include the beaks of Galápagos finches and the darkening of peppered moths in "
     "polluted industrial England."),
    ("The Immune System: Innate and Adaptive Defences",
     "The immune system protects the body against bacteria, viruses and other invaders in two "
     "layers. The innate system responds within minutes with barriers such as skin, "
     "inflammation and cells that engulf anything foreign. The adaptive system is slower but "
     "precise: B cells make antibodies that lock onto a specific target, and T cells kill "
     "infected cells or coordinate the response. Crucially, the adaptive system remembers, so a "
     "second encounter with the same germ is dealt with much faster."),
    ("How Vaccines Work",
     "A vaccine trains the immune system to recognise a disease-causing organism without the "
     "risk of the illness itself. It may contain a weakened or inactivated germ, a harmless "
     "piece of one, or genetic instructions such as mRNA that let the body's cells make a single "
     "protein of it. The immune system responds and forms memory cells. If the real pathogen "
     "appears later, those cells mount a fast and strong defence. Vaccination eradicated "
     "smallpox, declared gone from the world in 1980."),
    ("Antibiotic Resistance",
     "Antibiotics kill bacteria or stop them from multiplying, but they also act as a powerful "
     "force of natural selection. Any bacterium that happens to carry a gene letting it survive "
     "the drug will outlast its neighbours and multiply. Bacteria can even pass resistance genes "
     "to one another on small loops of DNA called plasmids. Overuse of antibiotics in medicine "
     "and farming has made resistant infections, such as MRSA, a serious global health "
     "problem."),
    ("What Is a Virus?",
     "A virus is a tiny package of genetic material, DNA or RNA, wrapped in a protein coat and "
     "sometimes a fatty envelope. Viruses cannot grow or reproduce on their own; they must enter "
     "a living cell and hijack its machinery to make copies of themselves. Because of this, "
     "biologists still debate whether they count as alive. Viruses infect every form of life, "
     "including bacteria, which are attacked by viruses called bacteriophages."),
    ("Bacteria and the Human Microbiome",
     "Bacteria are single-celled organisms without a nucleus, and they live almost everywhere on "
     "Earth, from hot springs to the deep ocean floor. The human body hosts trillions of them, "
     "especially in the gut, where they help digest fibre, produce vitamins and train the immune "
     "system. This community is called the microbiome. Only a small minority of bacterial "
     "species cause disease."),
    ("Enzymes: Nature's Catalysts",
     "Enzymes are proteins that speed up chemical reactions in living things, often by millions "
     "of times. Each enzyme has an active site shaped to fit particular molecules, its "
     "substrates, much like a key fits a lock. Enzymes are sensitive to temperature and acidity: "
     "too much heat changes their shape and they stop working, which is called denaturation. "
     "Digestive enzymes such as amylase and pepsin break food down into molecules small enough "
     "to absorb."),
    ("The Human Heart",
     "The human heart is a muscular pump about the size of a fist that beats roughly 100,000 "
     "times a day. It has four chambers: two atria that receive blood and two ventricles that "
     "pump it out. The right side sends blood to the lungs to pick up oxygen, and the left side "
     "pumps oxygen-rich blood to the rest of the body. Valves keep blood flowing in one "
     "direction, and their closing produces the familiar \"lub-dub\" sound of a heartbeat."),
    ("Neurons and Synapses",
     "Neurons are cells specialised for carrying signals. A neuron receives inputs through "
     "branching dendrites and sends an electrical impulse, the action potential, along a long "
     "fibre called the axon. Where one neuron meets another there is a tiny gap, the synapse, "
     "across which the signal is carried by chemical messengers called neurotransmitters. The "
     "human brain contains around 86 billion neurons, connected by perhaps a hundred trillion "
     "synapses."),
    ("Hormones and the Endocrine System",
     "Hormones are chemical messengers released into the blood by glands such as the thyroid, "
     "the adrenal glands and the pancreas. They travel throughout the body and act on cells that "
     "carry matching receptors. Insulin, for example, lowers blood sugar after a meal, while "
     "adrenaline prepares the body for sudden action. Compared with the nervous system, "
     "hormonal signals are slower but can last much longer."),
    ("Coral Reefs",
     "Coral reefs are built by colonies of tiny animals called polyps, which lay down skeletons "
     "of calcium carbonate over thousands of years. Most reef-building corals live in "
     "partnership with algae inside their tissues, which photosynthesise and share food with "
     "their hosts. Reefs cover less than one percent of the ocean floor yet shelter about a "
     "quarter of all marine species. When water becomes too warm, corals expel their algae and "
     "turn white, an event known as bleaching."),
    ("Tardigrades, the Toughest Animals",
     "Tardigrades, also called water bears or moss piglets, are eight-legged animals usually "
     "less than a millimetre long. They live in moss, soil and sediments all over the world. "
     "When their surroundings dry out, they curl into a dormant state called a tun and can "
     "survive for years. In this state they have withstood extreme cold, high radiation and even "
     "the vacuum of space."),
    ("Bird Migration",
     "Every year billions of birds travel between breeding grounds and wintering areas, some "
     "covering tens of thousands of kilometres. The Arctic tern makes the longest known "
     "migration, flying from the Arctic to the Antarctic and back. Birds navigate using several "
     "cues, including the position of the Sun, the patterns of stars, landmarks and Earth's "
     "magnetic field. Many species fatten up before departure and some barely sleep during the "
     "journey."),
    ("Bees and Pollination",
     "Pollination is the transfer of pollen from the male parts of a flower to the female parts, "
     "allowing the plant to make seeds. Bees are among the most important pollinators: as they "
     "gather nectar and pollen for food, grains of pollen stick to their hairy bodies and are "
     "carried to the next flower. About three quarters of the world's leading food crops benefit "
     "to some degree from animal pollination. Habitat loss, pesticides and disease have caused "
     "declines in many wild bee populations."),
    ("Metamorphosis of the Monarch Butterfly",
     "The monarch butterfly goes through complete metamorphosis in four stages: egg, "
     "caterpillar, chrysalis and adult. The caterpillars feed only on milkweed, whose toxins "
     "they store in their bodies, making them distasteful to birds. Inside the chrysalis, the "
     "caterpillar's body is broken down and rebuilt into a butterfly. Monarchs in eastern North "
     "America migrate up to 4,000 kilometres to spend the winter in the mountain forests of "
     "central Mexico."),
    ("Octopus Intelligence",
     "Octopuses are among the most intelligent invertebrates. They can solve puzzles, open "
     "screw-top jars and learn by watching other octopuses. About two thirds of their neurons "
     "are in their arms, which can explore and react with a degree of independence. They change "
     "the colour and texture of their skin in a fraction of a second, using it for camouflage "
     "and communication."),
    ("Mycorrhizal Fungi and the \"Wood Wide Web\"",
     "Most land plants live in partnership with mycorrhizal fungi, whose fine threads wrap "
     "around or enter their roots. The fungi extend far into the soil, gathering water and "
     "nutrients such as phosphorus, and in return receive sugars from the plant. Fungal "
     "networks can link neighbouring trees, a connection popularly called the \"wood wide "
     "web\". How much trees actually share through these networks is still debated by "
     "scientists."),
    ("Food Webs and Energy in Ecosystems",
     "In an ecosystem, energy flows from producers, such as plants and algae, to the herbivores "
     "that eat them and on to the predators that eat herbivores. Because most energy is used up "
     "or lost as heat at each step, only about ten percent passes from one level to the next. "
     "This is why large predators are always rare compared with their prey. Decomposers such as "
     "fungi and bacteria recycle nutrients from dead material back into the soil."),
    ("Keystone Species: Wolves in Yellowstone",
     "A keystone species has an effect on its ecosystem far larger than its numbers would "
     "suggest. When grey wolves were reintroduced to Yellowstone National Park in 1995, after "
     "an absence of about seventy years, they reduced and moved the elk herds. Willows and "
     "aspens along the rivers began to recover, which in turn helped beavers and songbirds. "
     "Ecologists call such a chain of effects a trophic cascade, although its full extent in "
     "Yellowstone is still debated."),
    ("Circadian Rhythms",
     "Most living things have an internal clock that runs on a cycle of about 24 hours, known as "
     "a circadian rhythm. In humans a small region of the brain called the suprachiasmatic "
     "nucleus sets this clock, resetting it each day using light that enters the eyes. The "
     "clock governs sleep, body temperature and the release of hormones such as melatonin. Jet "
     "lag happens when the internal clock and local time fall out of step."),
    ("CRISPR Gene Editing",
     "CRISPR is a tool that lets scientists cut DNA at a chosen spot with remarkable precision. "
     "It was adapted from a defence system that bacteria use against viruses. A short guide RNA "
     "leads an enzyme, usually Cas9, to the matching DNA sequence, where it makes a cut that the "
     "cell then repairs, allowing genes to be disabled or changed. Jennifer Doudna and "
     "Emmanuelle Charpentier received the 2020 Nobel Prize in Chemistry for developing the "
     "method."),
    ("Stem Cells",
     "Stem cells are cells that can divide to renew themselves and can also develop into "
     "specialised cell types. Embryonic stem cells can become almost any cell in the body, while "
     "adult stem cells, such as those in bone marrow, produce a narrower range. In 2006 Shinya "
     "Yamanaka showed that ordinary adult cells could be reprogrammed into an embryonic-like "
     "state. Stem cell transplants are already used to treat some blood cancers."),
    ("How the Kidneys Work",
     "The two kidneys filter all of the body's blood many times a day. Each contains around a "
     "million tiny filtering units called nephrons. They remove waste such as urea, together "
     "with excess water and salts, producing urine, while returning useful substances like "
     "glucose to the blood. The kidneys also help control blood pressure and signal the body to "
     "make red blood cells."),
    ("Mass Extinctions",
     "Five times in the past 500 million years, a large share of Earth's species disappeared in "
     "a geologically short time. The worst, at the end of the Permian period about 252 million "
     "years ago, wiped out roughly nine in ten marine species. The best known, 66 million years "
     "ago, ended the age of the non-avian dinosaurs after a large asteroid struck what is now "
     "Mexico. Many biologists argue that human activity is driving a sixth mass extinction "
     "today."),
    ("The Evolution of the Eye",
     long_text("""
        The eye has long been held up as a puzzle for the theory of evolution. Charles Darwin
        himself admitted that the idea of something so intricate arising by natural selection
        seemed, at first sight, absurd. Yet in the very same passage of On the Origin of Species
        he went on to explain how it could happen: if a series of gradual steps exists, each
        useful to its owner, then selection can build even a complex organ. Modern biology has
        filled in many of those steps, and the story of the eye is now one of the clearest
        examples of evolution at work.

        The starting point is a light-sensitive protein. Animals detect light with opsins,
        proteins that change shape when they absorb a photon and trigger a signal inside the
        cell. Opsins are ancient, and related versions are found across almost all animal
        groups. Even without any eye at all, a patch of cells carrying opsins lets an animal
        tell light from dark. Some single-celled organisms and many simple animals have exactly
        this kind of eyespot, which is enough to tell them which way is up in the water or when
        a shadow passes overhead.

        The next improvement is to place those light-sensitive cells in a shallow cup. A cup
        shades some of the cells from light coming from certain angles, so the animal can tell
        not just whether there is light but roughly which direction it comes from. Flatworms
        have eyes of this kind. Deepening the cup improves the sense of direction further, and
        narrowing its opening turns it into a pinhole camera that can form a crude image. The
        nautilus, a relative of squid and octopuses, still has pinhole eyes open to the sea,
        with no lens at all.

        A pinhole has a built-in trade-off. A small opening gives a sharper image but lets in
        very little light, while a large opening is bright but blurry. A transparent covering
        over the opening, perhaps first serving only to keep out dirt and parasites, could be
        thickened into a lens that bends light and focuses it. With a lens, an eye can be both
        bright and sharp. Lenses evolved in several animal groups independently, and the
        proteins used to build them were often borrowed from other jobs in the body, such as
        enzymes and stress proteins that happen to be clear and stable.

        In 1994 two Swedish researchers, Dan-Eric Nilsson and Susanne Pelger, estimated how long
        this sequence might take. They modelled a flat patch of light-sensitive cells changing
        by no more than one percent at each step, with every step improving vision. Even with
        cautious assumptions, a camera-type eye with a lens could arise in fewer than half a
        million generations. For small animals with short lives, that is a blink of an eye in
        geological time. It helps explain why well-developed eyes appear quickly in the fossil
        record of the Cambrian period, over 500 million years ago.

        Evolution has also produced very different designs. Insects and crustaceans have
        compound eyes made of many separate units, each pointing in a slightly different
        direction and contributing one spot to a mosaic image. Compound eyes are excellent at
        detecting movement, which is one reason a fly is so hard to swat. Scallops have dozens
        of small eyes along the edge of their shell that use curved mirrors rather than lenses
        to focus light. Some jellyfish have surprisingly sophisticated lens eyes despite having
        no brain at all.

        The details of our own eyes carry marks of their history. In vertebrates the
        light-sensitive cells of the retina face away from the incoming light, and the nerve
        fibres and blood vessels run across the front of the retina before plunging through it
        to reach the brain. Where they pass through, there are no receptors, which creates a
        blind spot that the brain fills in without our noticing. The eyes of octopuses and
        squid, which evolved separately, are wired the other way round and have no such blind
        spot. Biologists see this as evidence that eyes were assembled from what was available,
        not designed from scratch.

        Comparisons of genes reinforce the picture. A master control gene called Pax6 helps
        start eye development in animals as different as mice and fruit flies. When the mouse
        version is switched on in the wrong place in a fly, it can trigger the growth of extra
        fly eyes, not mouse eyes. This suggests that the genetic toolkit for building eyes is
        very old and shared, even though the eyes themselves took many different forms. The eye,
        once offered as a challenge to evolution, has become one of its most persuasive
        illustrations.
     """)),
    ("Why Animals Sleep",
     long_text("""
        Sleep looks like a dangerous luxury. A sleeping animal stops feeding, stops watching for
        predators and stops looking for mates, sometimes for many hours each day. If sleep had
        no important function, natural selection might be expected to have eliminated it. Yet
        every animal that has been studied carefully shows some form of sleep or a sleep-like
        state, from mammals and birds to fish, insects and even jellyfish, which have no brain.
        That near-universal presence suggests sleep does something essential.

        Scientists define sleep by behaviour as well as by brain activity. A sleeping animal is
        still, adopts a typical posture, responds less to its surroundings and can be woken
        relatively easily, unlike an animal in a coma or in hibernation. Sleep is also
        regulated: if an animal is kept awake, it later sleeps longer or more deeply to make up
        for the loss. In mammals and birds, recordings of electrical activity in the brain reveal
        two main kinds of sleep. In slow-wave sleep, large numbers of neurons fire together in
        slow, rolling waves. In rapid eye movement sleep, or REM sleep, the brain becomes almost
        as active as when awake, the eyes dart beneath the lids and most muscles go limp. Most
        vivid dreaming in humans happens during REM sleep.

        One leading idea is that sleep helps the brain manage memories. During the day, new
        experiences are stored temporarily, in part in a region called the hippocampus. During
        slow-wave sleep, patterns of activity from the day are replayed and appear to be
        transferred to longer-term storage in the cortex. Experiments in people and animals show
        that sleeping after learning a task improves later performance more than staying awake
        for the same time. Another proposal, the synaptic homeostasis hypothesis, suggests that
        sleep prunes back the many connections strengthened during waking hours, keeping the
        brain efficient and ready to learn again.

        Sleep also seems to help clean the brain. Research in mice published in 2013 found that
        the spaces between brain cells widen during sleep, allowing cerebrospinal fluid to flow
        through and wash away waste products, including proteins linked to Alzheimer's disease.
        This clearing system, sometimes called the glymphatic system, works much more actively
        during sleep than during wakefulness. Other suggested benefits include saving energy,
        repairing tissues and supporting the immune system, and these explanations are not
        mutually exclusive.

        The amount of sleep animals need varies enormously. Brown bats may sleep around twenty
        hours a day, while giraffes and elephants in the wild manage only a few hours. Large
        grazing animals must spend much of their time eating and are vulnerable to predators, so
        short sleep may be a compromise. Predators with safe dens, by contrast, can afford to
        sleep for long periods. Adult humans typically need around seven to nine hours, though
        newborn babies sleep for most of the day.

        Some animals have evolved remarkable ways to sleep while staying alert. Dolphins and
        other whales sleep with one half of the brain at a time, keeping one eye open and
        continuing to swim and surface for air. Many birds can do the same, and ducks at the end
        of a row have been observed keeping the outward-facing eye open to watch for danger.
        Frigatebirds, which fly over the ocean for weeks without landing, take brief naps in
        flight, sometimes with one hemisphere and sometimes with both, sleeping less than an
        hour a day while airborne.

        The costs of missing sleep are well documented in humans. Even one night without sleep
        slows reaction times and impairs attention, sometimes as much as moderate alcohol
        intoxication. Over longer periods, too little sleep is associated with weight gain,
        weakened immunity, mood disorders and a higher risk of heart disease. Rats kept
        completely awake in classic experiments eventually died, although the exact cause
        remained unclear. Whatever its full set of functions, sleep is clearly not wasted time
        but a state that brains and bodies depend on.
     """)),
]

COOKING = [
    ("The Maillard Reaction: Why Seared Food Browns",
     "When meat, bread or coffee beans are heated above roughly 140 degrees Celsius, amino acids "
     "and sugars react in a cascade of reactions named after the French chemist Louis-Camille "
     "Maillard. The result is the brown crust on a seared steak, the colour of toast and "
     "hundreds of new flavour compounds that taste roasted and savoury. Because water cannot get "
     "much hotter than 100 degrees, food must be dry on the surface to brown well. That is why "
     "cooks pat meat dry and avoid crowding the pan, which would make it steam instead."),
    ("Caramelisation",
     "Caramelisation is what happens when sugar itself is heated until it breaks down, starting "
     "at around 160 degrees Celsius for ordinary table sugar. The clear syrup turns golden, then "
     "amber, then deep brown, developing nutty and slightly bitter notes as it goes. Unlike the "
     "Maillard reaction, no protein is involved. Slowly cooked onions owe their sweetness partly "
     "to caramelisation, though the Maillard reaction contributes too."),
    ("Emulsions: Mayonnaise and Vinaigrette",
     "Oil and water do not mix, but they can be coaxed into an emulsion, in which tiny droplets "
     "of one are spread evenly through the other. In a vinaigrette, whisking breaks oil into "
     "droplets that soon separate again unless mustard or honey helps to hold them. Mayonnaise "
     "is far more stable because egg yolk contains lecithin, an emulsifier that coats each oil "
     "droplet. Adding oil too quickly at the start can make a mayonnaise \"break\" into a greasy "
     "mess."),
    ("Keeping a Sourdough Starter",
     "A sourdough starter is a living culture of wild yeasts and lactic acid bacteria kept in a "
     "paste of flour and water. The yeasts produce carbon dioxide that raises the bread, while "
     "the bacteria produce acids that give it a tangy flavour and help it keep. To stay active, "
     "a starter is fed regularly: part of it is discarded and fresh flour and water are added. "
     "A healthy starter roughly doubles in size within several hours of feeding and smells "
     "pleasantly sour."),
    ("Gluten and Kneading",
     "When wheat flour is mixed with water, two proteins, glutenin and gliadin, link up to form "
     "gluten, a stretchy network. Kneading lines up and strengthens that network so that it can "
     "trap the gas produced by yeast, letting the dough rise. A well-kneaded dough can be "
     "stretched thin enough to let light through without tearing, which bakers call the "
     "windowpane test. For tender cakes and pastry, cooks do the opposite and mix as little as "
     "possible."),
    ("How to Make Risotto",
     "Risotto is a northern Italian dish made with short-grain rice such as arborio or "
     "carnaroli. The rice is first toasted in butter or oil, then hot stock is added a ladle at a "
     "time while the pot is stirred. Stirring rubs starch from the surface of the grains, which "
     "thickens the liquid into a creamy sauce while the centre of each grain stays slightly "
     "firm. It is finished off the heat with butter and grated Parmesan, a step called the "
     "mantecatura."),
    ("Fresh Egg Pasta",
     "Fresh pasta from northern Italy is traditionally made with soft wheat flour and whole "
     "eggs, roughly one egg for every hundred grams of flour. The eggs are worked into a well in "
     "the flour by hand, then the dough is kneaded until smooth and left to rest. Rolled thin, "
     "it can be cut into tagliatelle, filled to make ravioli or layered in lasagne. Fresh pasta "
     "cooks in two or three minutes, much faster than dried."),
    ("Stocks and Broths",
     "A stock is a flavoured liquid made by gently simmering bones, vegetables and aromatics in "
     "water for several hours. Bones rich in connective tissue release gelatin, which gives a "
     "good stock its body and makes it set to a jelly when chilled. Roasting the bones first "
     "gives a darker, richer brown stock. Boiling hard makes stock cloudy and greasy, so it is "
     "kept at a bare simmer and skimmed."),
    ("The Five French Mother Sauces",
     "In the early twentieth century the chef Auguste Escoffier codified five \"mother sauces\" "
     "from which many others can be made. They are béchamel, thickened milk; velouté, "
     "thickened light stock; espagnole, a rich brown sauce; tomato sauce; and hollandaise, an "
     "emulsion of egg yolk and butter. Add cheese to béchamel, for instance, and it becomes a "
     "Mornay sauce. Learning the five gives a cook a framework for hundreds of variations."),
    ("Braising",
     "Braising combines two methods: food is first browned in fat, then cooked slowly in a "
     "small amount of liquid in a covered pot. It is ideal for tough, inexpensive cuts such as "
     "beef shin, lamb shoulder or pork cheeks. Over several hours at low heat, the collagen in "
     "their connective tissue melts into gelatin, making the meat tender and the sauce rich. "
     "Classic braises include coq au vin, osso buco and pot roast."),
    ("Sous Vide Cooking",
     "Sous vide, French for \"under vacuum\", means sealing food in a bag and cooking it in a "
     "water bath held at a precise temperature. Because the water never gets hotter than the "
     "target, a steak cooked at 55 degrees Celsius ends up evenly medium-rare from edge to "
     "centre. The method is forgiving of timing but produces no browning, so meat is usually "
     "seared briefly afterwards. Low temperatures call for careful attention to food safety."),
    ("Basic Knife Skills",
     "A sharp chef's knife is safer than a dull one, because it cuts with less force and is less "
     "likely to slip. Cooks hold the food with a \"claw\" grip, fingertips curled under and "
     "knuckles guiding the blade. Standard cuts include the julienne, thin matchsticks; the "
     "brunoise, tiny cubes made from a julienne; and the chiffonade, fine ribbons of rolled "
     "leaves such as basil. Even pieces cook at the same rate."),
    ("Kimchi, Sauerkraut and Lacto-Fermentation",
     "Lacto-fermentation preserves vegetables with salt and time. Salt draws water out of "
     "cabbage or other vegetables and holds back spoilage organisms, while lactic acid bacteria "
     "already present on the leaves turn sugars into lactic acid. The rising acidity preserves "
     "the vegetables and gives them a sour, complex flavour. Sauerkraut is made from cabbage and "
     "salt alone; Korean kimchi adds chilli, garlic, ginger and often fish sauce."),
    ("Tempering Chocolate",
     "Tempering is the controlled melting and cooling of chocolate so that its cocoa butter sets "
     "in one particular crystal form. Properly tempered chocolate is glossy, snaps cleanly and "
     "does not melt at the touch of a finger. Untempered chocolate sets dull and streaky, with a "
     "soft texture. A common method is to melt dark chocolate to about 45 degrees Celsius, cool "
     "it while stirring, then warm it gently to around 31 degrees before use."),
    ("Laminated Dough and Croissants",
     "Croissants, puff pastry and Danish pastries are made from laminated dough: thin layers of "
     "dough separated by thin layers of butter. A block of cold butter is enclosed in the dough, "
     "then rolled out and folded repeatedly, multiplying the layers with each fold. In a hot "
     "oven, water in the dough and butter turns to steam and pushes the layers apart, creating "
     "a light, flaky structure. Keeping the butter cold throughout is the main challenge."),
    ("Boiling and Poaching Eggs",
     "An egg placed in boiling water for about six minutes has a set white and a runny yolk, "
     "while ten to twelve minutes gives a firm, hard-boiled yolk. Cooling the eggs at once in "
     "cold water stops the cooking and prevents a grey-green ring forming around the yolk. To "
     "poach an egg, it is slipped into barely simmering water, where very fresh eggs hold "
     "their shape best. A splash of vinegar helps the white set quickly."),
    ("Salt: Kosher, Flaky and Fine",
     "All cooking salt is sodium chloride, but crystal size changes how it behaves. Fine table "
     "salt packs densely, so a teaspoon of it is much saltier than a teaspoon of light, flaky "
     "sea salt or coarse kosher salt. Many cooks prefer kosher salt for seasoning because its "
     "crystals are easy to pinch and sprinkle evenly. Flaky salts such as Maldon are usually "
     "added at the end, where their crunch can be noticed."),
    ("Blooming Spices in Oil",
     "Many of the flavour compounds in spices dissolve better in fat than in water. Frying whole "
     "or ground spices briefly in hot oil or ghee, a technique called tempering or tadka in "
     "Indian cooking, releases those compounds and spreads them through the dish. Cumin seeds "
     "sizzle and darken within seconds, and mustard seeds pop when ready. The spiced oil is "
     "then poured over dal or used as the base of a curry."),
    ("Cooking Rice by the Absorption Method",
     "For the absorption method, rice is cooked in a measured amount of water that it takes up "
     "completely. Rinsing long-grain rice first removes surface starch and keeps the grains "
     "separate. A typical ratio for white basmati is about one and a half cups of water per cup "
     "of rice:\n1. Bring the rice and water to a boil.\n2. Cover and simmer on the lowest heat "
     "for twelve minutes.\n3. Rest, still covered, for ten minutes before fluffing with a "
     "fork."),
    ("Low and Slow: Smoking Barbecue",
     "Traditional American barbecue cooks large cuts such as brisket and pork shoulder for many "
     "hours at low temperatures, often around 110 to 120 degrees Celsius, in the smoke of a "
     "wood fire. The long cook breaks down tough connective tissue, while the smoke adds flavour "
     "and forms a pink \"smoke ring\" under the surface. Partway through, the meat's temperature "
     "often stops rising for hours, a frustrating plateau known as the stall, caused by "
     "evaporative cooling."),
    ("Quick Pickling with Vinegar",
     "Quick pickles are vegetables covered in a hot brine of vinegar, water, salt and often "
     "sugar, then refrigerated. Unlike fermented pickles, their sourness comes from the vinegar "
     "rather than from bacteria, so they are ready in hours. Cucumbers, red onions, carrots and "
     "radishes all work well. Because they are not heat-processed for long storage, quick "
     "pickles should be kept cold and eaten within a few weeks."),
    ("Deglazing and Pan Sauces",
     "After meat is seared, browned bits called fond stick to the bottom of the pan. Deglazing "
     "means pouring in a liquid such as wine, stock or even water and scraping those bits loose "
     "as it bubbles. The flavourful liquid is then reduced and often finished with a knob of "
     "cold butter, which thickens it and adds shine. A good pan sauce takes only a few minutes "
     "while the meat rests."),
    ("Seasoning a Cast-Iron Pan",
     "The black, non-stick surface of a cast-iron pan is called seasoning. It forms when thin "
     "layers of oil are heated past their smoke point and polymerise into a hard, plastic-like "
     "coating bonded to the metal. To build it, the pan is wiped with a very thin film of oil "
     "and baked upside down in a hot oven, repeated several times. Regular cooking with fat "
     "improves the seasoning, while soaking the pan in water can cause rust."),
    ("Umami, the Fifth Taste",
     "Besides sweet, sour, salty and bitter, the tongue detects umami, a savoury taste triggered "
     "by glutamate and certain nucleotides. The Japanese chemist Kikunae Ikeda identified it in "
     "1908 while studying kombu seaweed broth, and named it from the Japanese word for "
     "delicious. Foods rich in umami include aged Parmesan, tomatoes, mushrooms, soy sauce and "
     "anchovies. Combining ingredients with different umami compounds strengthens the effect."),
    ("Baking Soda or Baking Powder?",
     "Baking soda is pure sodium bicarbonate, a base that releases carbon dioxide when it meets "
     "an acid such as buttermilk, yoghurt or lemon juice. Baking powder contains baking soda "
     "together with a dry acid, so it needs only moisture, and often heat, to work. "
     "\"Double-acting\" baking powder releases some gas when mixed and more in the oven. Too "
     "much baking soda leaves a soapy, metallic taste."),
    ("Custards and Crème Anglaise",
     "A custard is a mixture of milk or cream with eggs, thickened by gentle heat as the egg "
     "proteins set. Stirred custards, such as crème anglaise, are cooked in a pan until they "
     "coat the back of a spoon, at about 80 degrees Celsius. Baked custards, like crème "
     "caramel, set in a water bath in the oven. Too much heat curdles the eggs, turning a "
     "smooth custard grainy."),
    ("Dumplings Around the World",
     "Almost every cuisine has some form of dumpling: a wrapper of dough around a filling, or a "
     "simple ball of dough cooked in liquid. Chinese jiaozi are folded crescents boiled, steamed "
     "or pan-fried, while Polish pierogi are often filled with potato and cheese. Nepalese and "
     "Tibetan momos, Georgian khinkali and Italian ravioli are close relatives. Soup dumplings, "
     "or xiaolongbao, contain a gelatin-rich stock that melts into broth when steamed."),
    ("Building a Curry Base",
     "Many Indian curries start from a similar base. Whole spices are fried in oil, then onions "
     "are cooked slowly until soft and golden, followed by garlic, ginger and chilli. Ground "
     "spices such as turmeric, coriander and cumin are added and cooked briefly, and tomatoes "
     "or yoghurt bring the base together. Regional dishes vary widely: a coconut-based curry "
     "from Kerala tastes very different from a rich Punjabi one."),
    ("Nixtamalisation and Corn Tortillas",
     "Corn tortillas begin with nixtamalisation, an ancient Mesoamerican technique in which "
     "dried maize is simmered and soaked in an alkaline solution, traditionally water with "
     "slaked lime. The treatment loosens the hulls, improves flavour and aroma, and makes "
     "niacin, a B vitamin, available to the body. The softened corn is ground into a dough "
     "called masa. Populations that adopted maize without this step often suffered from "
     "pellagra."),
    ("Dashi and Miso Soup",
     "Dashi is the clear stock at the heart of Japanese cooking. The most common version is "
     "made by steeping kombu seaweed in water and then briefly infusing katsuobushi, shaved "
     "flakes of dried, smoked skipjack tuna. It tastes light but deeply savoury, rich in umami. "
     "For miso soup, miso paste is whisked into hot dashi off the boil, because boiling dulls "
     "its aroma, and tofu, wakame or spring onions are added."),
    ("Baking Bread at Home, Step by Step",
     long_text("""
        Bread is made from only four basic ingredients, flour, water, salt and yeast, yet it can
        take a lifetime to master. The good news is that a simple, satisfying loaf is well
        within reach of a beginner with a kitchen scale, a large bowl and an oven. What follows
        is a plain white loaf, with notes on what is happening at each stage, so that you can
        adjust the method once you understand it.

        Start by weighing rather than measuring by volume. A cup of flour can vary in weight by
        twenty percent depending on how it is scooped, which is enough to change the dough
        completely. For one loaf, use 500 grams of strong white bread flour, 350 grams of
        lukewarm water, 10 grams of salt and 7 grams of instant dried yeast, one standard
        sachet. Bakers describe recipes in \"baker's percentages\", where the flour is always 100
        percent; this dough has 70 percent water, or 70 percent hydration. Wetter doughs give
        a more open crumb but are harder to handle.

        Mix the flour and yeast in the bowl, add the salt on the other side, then pour in most
        of the water and stir with your hand or a spoon until no dry flour remains. Add the last
        of the water if the dough feels stiff. Leave it covered for twenty to thirty minutes.
        During this rest, sometimes called an autolyse, the flour absorbs the water fully and
        gluten begins to form on its own, which makes kneading easier.

        Next, knead the dough for about ten minutes on an unfloured work surface, stretching it
        away from you with the heel of your hand and folding it back. At first it will be sticky
        and ragged; resist the temptation to add lots of extra flour. Gradually it becomes
        smooth and elastic as the gluten strands line up. An alternative for wetter doughs is to
        skip kneading and instead perform a set of stretches and folds every half hour during the
        first rise, lifting one side of the dough and folding it over the rest, turning the bowl
        each time.

        Now comes the first rise, or bulk fermentation. Cover the bowl and leave it somewhere
        comfortably warm, around 24 degrees Celsius, until the dough has roughly doubled in size,
        usually one to two hours. The yeast is eating sugars in the flour and producing carbon
        dioxide and alcohol. The gas inflates the gluten network like thousands of tiny
        balloons, while the by-products of fermentation develop flavour. A slower, cooler rise,
        even overnight in the fridge, gives a more complex taste.

        Tip the risen dough onto a lightly floured surface and press out the largest bubbles.
        Shape it by folding the edges into the middle, turning it over and then cupping your
        hands around it, dragging it gently towards you so that the surface tightens into a
        smooth skin. This tension helps the loaf hold its shape and rise upwards rather than
        spreading. Place it seam-side up in a floured basket or bowl lined with a tea towel, or
        seam-side down in an oiled loaf tin.

        The second rise, or proof, is shorter, often 45 minutes to an hour. Meanwhile, heat the
        oven to 230 degrees Celsius with a heavy casserole dish or baking stone inside. To check
        whether the dough is ready, press it lightly with a floured finger: if the dent springs
        back slowly and only partly, it is ready. If it springs back at once, it needs more
        time; if it does not spring back at all, it is over-proofed and may collapse in the oven.

        Turn the loaf out onto baking paper, slash the top with a sharp blade or razor, and lower
        it into the hot pot. The slash controls where the loaf bursts open as it expands in the
        first minutes of baking, the so-called oven spring. Bake with the lid on for 20 minutes:
        the trapped steam keeps the crust soft long enough for the loaf to expand fully. Then
        remove the lid and bake another 20 to 25 minutes until the crust is a deep golden brown,
        thanks to the Maillard reaction and caramelisation. The loaf should sound hollow when
        tapped underneath, and its centre should reach about 96 degrees Celsius.

        Finally, and hardest of all, let it cool on a rack for at least an hour before cutting.
        The inside is still cooking and setting as it cools, and slicing too early leaves a
        gummy crumb. Once you are comfortable with this loaf, try replacing some of the flour
        with wholemeal, adding seeds, or moving on to a sourdough starter in place of commercial
        yeast.
     """)),
]

GEOGRAPHY = [
    ("Plate Tectonics",
     "Earth's outer shell is broken into about a dozen large tectonic plates and many smaller "
     "ones, which move a few centimetres a year, roughly as fast as fingernails grow. The "
     "continents ride on these plates, so over millions of years they drift, collide and split "
     "apart. Heat flowing out of Earth's interior and the pull of sinking slabs of old sea "
     "floor drive the motion. Alfred Wegener proposed continental drift in 1912, but it was "
     "widely accepted only after sea-floor spreading was discovered in the 1960s."),
    ("How Volcanoes Form",
     "Volcanoes form where molten rock, called magma, rises from deep underground and erupts at "
     "the surface. Most lie along plate boundaries: at subduction zones, where one plate sinks "
     "beneath another, and at mid-ocean ridges, where plates pull apart. Others, like those of "
     "Hawaii, sit above hotspots far from any boundary. Runny basalt lava builds broad shield "
     "volcanoes, while thick, gas-rich magma tends to erupt explosively and build steep cones."),
    ("Earthquakes and How They Are Measured",
     "An earthquake happens when rocks along a fault suddenly slip after strain has built up for "
     "years or centuries, releasing energy as seismic waves. The point underground where the "
     "slip begins is the focus, and the spot directly above it on the surface is the epicentre. "
     "Scientists today measure the size of large earthquakes with the moment magnitude scale, "
     "which replaced the older Richter scale for big events. Each whole step up the scale means "
     "about 32 times more energy."),
    ("The Amazon River",
     "The Amazon carries more water than any other river on Earth, roughly a fifth of all the "
     "fresh water that rivers pour into the oceans. It rises in the Andes of Peru and flows "
     "east across Brazil to the Atlantic. Whether it or the Nile is the longest river depends on "
     "where the source is placed and how the length is measured. Its basin holds the largest "
     "tropical rainforest in the world, home to an enormous variety of species."),
    ("The Nile",
     "The Nile flows north for about 6,650 kilometres through eleven countries in north-eastern "
     "Africa before reaching the Mediterranean Sea. Its two main branches, the White Nile from "
     "the region of Lake Victoria and the Blue Nile from Ethiopia's highlands, meet at Khartoum "
     "in Sudan. For thousands of years its annual flood deposited fertile silt along its banks, "
     "making the civilisation of ancient Egypt possible. The Aswan High Dam, completed in 1970, "
     "now controls the flooding."),
    ("The Sahara Desert",
     "The Sahara is the largest hot desert in the world, covering about nine million square "
     "kilometres of northern Africa. Only a small part of it is covered by sand dunes; much of "
     "it is rocky plateau and gravel plain. Rainfall is rare, and temperatures can swing by "
     "more than 30 degrees between day and night. Rock art and ancient lake beds show that "
     "around 10,000 to 5,000 years ago the region was much greener, a period called the "
     "African Humid Period."),
    ("The Himalayas and Mount Everest",
     "The Himalayas were raised by the collision of the Indian plate with Asia, which began "
     "about 50 million years ago and continues today, so the mountains are still rising. The "
     "range contains all ten of the world's peaks higher than 8,000 metres. Mount Everest, "
     "known in Nepal as Sagarmatha and in Tibet as Chomolungma, is the highest at 8,849 metres. "
     "Tenzing Norgay and Edmund Hillary made the first confirmed ascent in 1953."),
    ("The Mariana Trench",
     "The Mariana Trench in the western Pacific Ocean is the deepest known part of the world's "
     "oceans. Its deepest point, the Challenger Deep, lies nearly 11,000 metres below the "
     "surface: if Mount Everest were placed there, its peak would still be more than two "
     "kilometres under water. The trench forms where the Pacific plate dives beneath the "
     "Mariana plate. The crushing pressure at the bottom is over a thousand times that at sea "
     "level."),
    ("The Fjords of Norway",
     "A fjord is a long, narrow, steep-sided inlet of the sea, carved by glaciers during the ice "
     "ages and later flooded as the ice melted and sea levels rose. Norway's coast is famous for "
     "them; the Sognefjord reaches over 200 kilometres inland and more than 1,300 metres deep. "
     "Fjords are often deepest in their inner parts and shallower near the mouth, where a "
     "ridge of rock or glacial debris called a sill may lie."),
    ("Monsoons",
     "A monsoon is a seasonal reversal of winds that brings a distinct wet season. In South Asia "
     "the land heats up strongly in early summer, drawing in moist air from the Indian Ocean "
     "that delivers heavy rain from about June to September. Farming across the region depends "
     "on its timing and strength, and a weak monsoon can mean drought, while a strong one can "
     "cause floods. Monsoon systems also affect West Africa, northern Australia and the "
     "south-western United States."),
    ("The Gulf Stream",
     "The Gulf Stream is a powerful, warm ocean current that flows out of the Gulf of Mexico, "
     "along the east coast of the United States and across the North Atlantic. Its extension, "
     "the North Atlantic Drift, carries heat towards north-western Europe and helps give it "
     "milder winters than places at similar latitudes in Canada. The current is part of a "
     "larger circulation that scientists are monitoring closely for signs of slowing as the "
     "climate warms."),
    ("River Deltas",
     "A delta forms where a river slows as it enters a lake or the sea and drops the sediment it "
     "has been carrying. Over time the deposits build new land, and the river splits into many "
     "channels called distributaries. The name comes from the Greek letter delta, because the "
     "Nile delta has a triangular shape. Deltas such as those of the Ganges-Brahmaputra and the "
     "Mekong are extremely fertile and densely populated, but low-lying and vulnerable to sea "
     "level rise."),
    ("Glaciers",
     "A glacier is a large mass of ice that forms where more snow falls each year than melts, "
     "and that moves slowly under its own weight. As glaciers flow they grind and pluck at the "
     "rock beneath them, carving U-shaped valleys, sharp ridges called arêtes and bowl-shaped "
     "hollows called cirques. When they retreat they leave behind piles of rock debris known as "
     "moraines. Most mountain glaciers around the world are shrinking."),
    ("Antarctica",
     "Antarctica is the coldest, windiest and driest continent, and the highest on average. "
     "About 98 percent of it is covered by an ice sheet that averages nearly two kilometres "
     "thick and holds most of the world's fresh water. The lowest natural temperature ever "
     "recorded on Earth, minus 89.2 degrees Celsius, was measured at Vostok Station in 1983. "
     "Under the Antarctic Treaty of 1959, the continent is reserved for peace and science."),
    ("Iceland, Land of Fire and Ice",
     "Iceland sits on the Mid-Atlantic Ridge, where the North American and Eurasian plates "
     "pull apart, and also above a volcanic hotspot. The result is intense volcanic and "
     "geothermal activity: nearly all of the country's electricity and heating comes from "
     "hydropower and geothermal sources. Glaciers cover about a tenth of the island, and some "
     "volcanoes lie beneath the ice. The 2010 eruption of Eyjafjallajökull grounded flights "
     "across Europe for days."),
    ("The Great Lakes",
     "The five Great Lakes of North America, Superior, Michigan, Huron, Erie and Ontario, "
     "together hold about a fifth of the world's fresh surface water. They were scoured out by "
     "ice sheets during the last ice age and filled with meltwater. Lake Superior is the "
     "largest freshwater lake in the world by surface area. The lakes are linked to the "
     "Atlantic by the St. Lawrence River, with Niagara Falls on the river between Erie and "
     "Ontario."),
    ("Lake Baikal",
     "Lake Baikal in southern Siberia is the deepest lake in the world, at over 1,600 metres, "
     "and the oldest, at about 25 million years. Although its surface is smaller than that of "
     "Lake Superior, its great depth means it holds more water than all five North American "
     "Great Lakes combined. Baikal lies in a rift valley where the crust is slowly being pulled "
     "apart. It is home to many species found nowhere else, including the nerpa, a freshwater "
     "seal."),
    ("The Dead Sea",
     "The Dead Sea lies between Jordan and Israel and the West Bank, and its shore is the lowest "
     "land on Earth, more than 430 metres below sea level. Its water is around ten times saltier "
     "than the ocean, so dense that swimmers float easily. The high salt content prevents fish "
     "and most other life from surviving there. Because more water is taken from the Jordan "
     "River than in the past, the sea's level is falling by about a metre a year."),
    ("The Andes",
     "The Andes are the longest continental mountain range in the world, running about 7,000 "
     "kilometres along the western side of South America. They formed as the Nazca plate "
     "subducts beneath the South American plate, a process that also drives frequent "
     "earthquakes and volcanoes. Aconcagua in Argentina, at 6,961 metres, is the highest peak "
     "outside Asia. The high plateau of the Altiplano was the heartland of the Inca Empire."),
    ("The Atacama Desert",
     "The Atacama Desert in northern Chile is one of the driest places on Earth; some weather "
     "stations there have recorded almost no rain for decades. It lies in a double rain "
     "shadow, with the Andes blocking moisture from the east and the cold Humboldt Current "
     "cooling the air from the Pacific. Its dry, clear, high-altitude skies make it a world "
     "centre for astronomy. Scientists test Mars rovers in its lifeless-looking soils."),
    ("Atolls and Coral Islands",
     "An atoll is a ring-shaped coral reef or chain of islands surrounding a lagoon. Charles "
     "Darwin explained how they form: a reef grows around a volcanic island, and as the "
     "volcano slowly sinks, the coral keeps growing upwards until only the ring remains. Atolls "
     "are common in the Pacific and Indian Oceans, including in the Maldives and Kiribati. "
     "Because most of their land is only a few metres above the sea, they are highly vulnerable "
     "to rising sea levels."),
    ("Tsunamis",
     "A tsunami is a series of ocean waves usually caused by a large undersea earthquake that "
     "suddenly lifts or drops the sea floor. In deep water the waves can travel as fast as a jet "
     "plane yet be barely noticeable on the surface. As they reach shallow coastal water they "
     "slow down and grow much taller. A sudden retreat of the sea from the shore is a natural "
     "warning sign. The 2004 Indian Ocean tsunami killed more than 200,000 people in a dozen "
     "countries."),
    ("Latitude and Longitude",
     "Latitude and longitude form a grid for locating any point on Earth. Latitude measures "
     "distance north or south of the equator, from 0 to 90 degrees at the poles. Longitude "
     "measures distance east or west of the prime meridian, which by international agreement "
     "in 1884 passes through Greenwich, in London. Measuring latitude was easy for sailors "
     "using the Sun or stars, but longitude at sea required accurate clocks, a problem solved by "
     "John Harrison's marine chronometers in the eighteenth century."),
    ("Time Zones and the International Date Line",
     "Because Earth turns 15 degrees every hour, the world is divided into time zones, roughly "
     "one per 15 degrees of longitude, though their borders follow national and political "
     "lines. Railways pushed for standard time in the nineteenth century, since every town "
     "keeping its own local solar time made timetables chaotic. The International Date Line, "
     "roughly along the 180th meridian in the Pacific, marks where the calendar date changes. "
     "Crossing it westward, a traveller skips ahead a day."),
    ("The Köppen Climate Classification",
     "The Köppen system, devised by the climatologist Wladimir Köppen in the late nineteenth "
     "century, sorts the world's climates into five main groups based on temperature and "
     "rainfall: tropical, dry, temperate, continental and polar. Each group is divided further "
     "with letters, so that \"Csa\" describes a hot-summer Mediterranean climate and \"Af\" a "
     "tropical rainforest. Because climate shapes vegetation, Köppen's zones closely match the "
     "world's major biomes."),
    ("The Pacific Ring of Fire",
     "The Ring of Fire is a horseshoe-shaped belt around the edge of the Pacific Ocean where "
     "most of the world's earthquakes and many of its active volcanoes occur. It traces a chain "
     "of subduction zones where oceanic plates sink beneath neighbouring plates, from New "
     "Zealand through Indonesia, Japan and Alaska down to the Andes. Around three quarters of "
     "Earth's active volcanoes lie along it. Mount Fuji, Krakatoa and Mount St. Helens are all "
     "part of the ring."),
    ("Karst Landscapes and Caves",
     "Karst landscapes form where rainwater, made slightly acidic by carbon dioxide, slowly "
     "dissolves soluble rock such as limestone. Over thousands of years this creates sinkholes, "
     "underground rivers, caves and dramatic towers of rock, such as those around Guilin in "
     "China. Inside caves, dripping water deposits calcite to form stalactites hanging from the "
     "ceiling and stalagmites rising from the floor. Karst aquifers supply drinking water to a "
     "large share of the world's population."),
    ("The Mediterranean Sea",
     "The Mediterranean is an almost enclosed sea between Europe, North Africa and western "
     "Asia, linked to the Atlantic by the narrow Strait of Gibraltar. Around six million years "
     "ago that link closed and the sea largely dried out, leaving thick layers of salt; it was "
     "refilled when the Atlantic broke through again. Its warm, dry summers and mild, wet winters "
     "give their name to the Mediterranean climate. It has been a crossroads of trade and "
     "cultures for millennia."),
    ("Mount Kilimanjaro",
     "Kilimanjaro in Tanzania is the highest mountain in Africa, rising to 5,895 metres, and the "
     "tallest free-standing mountain in the world. It is a dormant volcano with three volcanic "
     "cones: Kibo, Mawenzi and Shira. Climbers pass through distinct zones, from farmland and "
     "rainforest through heath and alpine desert to the icy summit. Its glaciers have shrunk "
     "dramatically over the past century and may disappear within decades."),
    ("The Danube",
     "The Danube is Europe's second-longest river after the Volga, flowing about 2,850 "
     "kilometres from Germany's Black Forest to the Black Sea. It passes through or along the "
     "borders of ten countries, more than any other river in the world, and through four "
     "capital cities: Vienna, Bratislava, Budapest and Belgrade. For centuries it has been a "
     "major route for trade and, at times, a frontier, including for the Roman Empire. Its "
     "delta in Romania is a vast wetland rich in birds."),
    ("How Rivers Shape Landscapes",
     long_text("""
        Rivers are among the most powerful forces shaping the surface of the Earth. Given enough
        time, running water can carve canyons through solid rock, build plains wide enough to
        feed nations and move whole mountains, grain by grain, into the sea. The way a river
        does this changes along its length, and geographers often describe a river in three
        parts: an upper course, a middle course and a lower course, each with its own typical
        landforms.

        In its upper course, near its source in hills or mountains, a river is usually small,
        fast and steep. Its energy goes mainly into cutting downwards. Rocks and pebbles carried
        by the current scrape and bounce along the bed, a process called abrasion, and the sheer
        force of the water, hydraulic action, forces its way into cracks. The result is a narrow
        valley with steep sides, often described as V-shaped. Where the river cannot cut straight
        through, it winds around spurs of harder rock, leaving interlocking spurs along the
        valley sides.

        Waterfalls are a feature of the upper course. They often form where a band of hard rock
        lies on top of softer rock. The river wears away the softer rock more quickly,
        undercutting the hard layer until it overhangs and eventually collapses. The waterfall
        then retreats upstream, leaving a steep-sided gorge behind it. Niagara Falls has
        retreated by roughly eleven kilometres since the end of the last ice age, and engineers
        have since reduced its rate of erosion by diverting part of its flow.

        In the middle course the land is gentler, the valley wider and the river larger, fed by
        tributaries. Now the river erodes sideways as well as downwards. It begins to swing from
        side to side in loops called meanders. On the outside of each bend, the water flows
        fastest and deepest, eroding the bank into a steep river cliff. On the inside of the
        bend, the water is slower and shallower, and sediment is dropped to form a gently
        sloping slip-off slope or point bar. Over time, this combination of erosion on one bank
        and deposition on the other makes meanders migrate across the valley floor.

        Meanders can become so tightly looped that the neck of land between two bends is worn
        through, often during a flood. The river then takes the shorter, straighter route, and
        the old loop is cut off. Sediment seals its ends, and it becomes a curved lake called an
        oxbow lake. Over the years the oxbow gradually fills with silt and plants, becoming a
        marsh and eventually dry land. Rivers such as the Mississippi are flanked by many oxbow
        lakes in various stages of this life cycle.

        In the lower course, near the sea, the river is at its widest and deepest, and it flows
        across a broad, flat floodplain. Although it may look sluggish, it carries the largest
        volume of water and a heavy load of fine sediment. When the river floods, it spills over
        its banks and slows down, dropping the coarsest material first, right beside the
        channel. Repeated floods build up these deposits into raised banks called levées. Finer
        silt and clay settle farther away, spreading a layer of fertile soil across the
        floodplain. This is why river floodplains, from the Nile to the Ganges, have supported
        dense farming populations for thousands of years.

        Where the river finally meets the sea or a lake, it slows abruptly and releases the rest
        of its load. If the waves and tides are not strong enough to carry the sediment away, it
        accumulates to form a delta, with the river dividing into many smaller channels. If
        tides are strong, the river mouth may instead form a funnel-shaped estuary, where fresh
        and salt water mix. Estuaries and deltas are rich habitats for fish and birds, and also
        sites of many of the world's great ports and cities.

        Human activity has changed rivers profoundly. Dams trap sediment, so less reaches the
        coast, and deltas that once grew now shrink and sink. Straightening channels for
        navigation can speed up floods downstream, while building on floodplains puts people in
        harm's way. In recent decades, many countries have begun to restore rivers, removing
        small dams, reconnecting floodplains and letting meanders return, recognising that
        working with a river's natural behaviour is often cheaper and safer than fighting it.
     """)),
]

HISTORY = [
    ("Gutenberg and the Printing Press",
     "Around 1440, in Mainz, the goldsmith Johannes Gutenberg developed a printing press with "
     "movable metal type. His system combined type cast from a durable alloy in a hand mould, an "
     "oil-based ink and a press adapted from those used for wine and paper. The Gutenberg Bible, "
     "printed in the mid-1450s, showed what the method could do. Within fifty years presses "
     "had spread to more than 250 European towns, making books cheaper and helping to fuel the "
     "Renaissance, the Reformation and the Scientific Revolution. Movable type had been "
     "invented earlier in China and Korea, but it spread far more widely in Europe's "
     "alphabetic scripts."),
    ("The Fall of the Western Roman Empire",
     "The Western Roman Empire came to an end in 476 CE, when the Germanic general Odoacer "
     "deposed the last emperor in the west, the young Romulus Augustulus. The collapse was a "
     "long process rather than a single event: political instability, economic strain, "
     "pressure from migrating peoples and the division of the empire all played a part. The "
     "Eastern Roman Empire, later called the Byzantine Empire, continued from Constantinople "
     "for almost another thousand years, until 1453."),
    ("Magna Carta",
     "Magna Carta, Latin for \"Great Charter\", was agreed by King John of England at Runnymede "
     "in June 1215 under pressure from rebellious barons. It promised protection of church "
     "rights, limits on feudal payments and, most famously, that no free man would be "
     "imprisoned or punished except by the lawful judgement of his peers or the law of the "
     "land. The original was annulled by the Pope within months, but reissued versions became "
     "part of English law and later inspired constitutional thinking around the world."),
    ("The Black Death",
     "The Black Death was a pandemic of plague that swept through Asia, the Middle East and "
     "Europe in the mid-fourteenth century, reaching Europe in 1347. It was caused by the "
     "bacterium Yersinia pestis, spread by fleas on rats and other animals and, in its "
     "pneumonic form, directly between people. It killed perhaps a third to a half of Europe's "
     "population within a few years. The resulting labour shortages raised wages and weakened "
     "the feudal system in many regions."),
    ("The Silk Road",
     "The Silk Road was a network of overland trade routes linking China with Central Asia, "
     "Persia, the Middle East and the Mediterranean, active from around the second century BCE. "
     "Few merchants travelled its full length; goods passed through many hands along the way. "
     "Besides silk, it carried spices, horses, paper, glass and precious metals. Ideas travelled "
     "too: Buddhism spread into China along these routes, and so, in the fourteenth century, did "
     "the plague."),
    ("The French Revolution",
     "The French Revolution began in 1789, as a financial crisis forced King Louis XVI to call "
     "the Estates-General. On 14 July crowds stormed the Bastille, a royal fortress and prison "
     "in Paris, and the National Assembly soon issued the Declaration of the Rights of Man and "
     "of the Citizen. The monarchy was abolished in 1792, and the king was executed the "
     "following year. The revolution's radical phase, the Reign of Terror, was followed by "
     "years of instability that ended with Napoleon Bonaparte's seizure of power in 1799."),
    ("The Industrial Revolution",
     "The Industrial Revolution began in Britain in the second half of the eighteenth century "
     "and transformed how goods were made. Machines such as the spinning jenny and water frame "
     "mechanised textile production, and James Watt's improved steam engine provided power "
     "independent of rivers. Factories drew workers from the countryside into fast-growing "
     "cities like Manchester. Railways followed in the nineteenth century, while harsh working "
     "conditions led to new labour laws and trade unions."),
    ("The American Revolution",
     "Tensions between Britain and its thirteen North American colonies grew in the 1760s over "
     "taxes imposed without colonial representation in Parliament, summed up in the slogan "
     "\"no taxation without representation\". Fighting broke out at Lexington and Concord in "
     "1775, and the colonies declared independence on 4 July 1776. With crucial help from "
     "France, the Continental Army under George Washington forced a British surrender at "
     "Yorktown in 1781. The Treaty of Paris recognised the United States in 1783."),
    ("The Pyramids of Giza",
     "The three great pyramids at Giza were built as tombs for the Egyptian pharaohs Khufu, "
     "Khafre and Menkaure during the Fourth Dynasty, around 2600 to 2500 BCE. The Great Pyramid "
     "of Khufu was the tallest human-made structure in the world for nearly 4,000 years. "
     "Evidence from workers' villages nearby suggests the builders were paid labourers, not "
     "slaves as often imagined. A papyrus logbook found in 2013 records a crew transporting "
     "limestone blocks by boat."),
    ("The Library of Alexandria",
     "The Library of Alexandria, founded in Egypt under the Ptolemaic kings in the third "
     "century BCE, was the most famous library of the ancient world. It aimed to collect every "
     "book then known, and scholars there, such as Eratosthenes, who estimated Earth's "
     "circumference, produced important work. Its destruction is often pictured as a single "
     "catastrophic fire, but historians think it declined gradually over centuries through "
     "budget cuts, political turmoil and several separate episodes of damage."),
    ("The Ottoman Empire",
     "The Ottoman Empire was founded in north-western Anatolia around 1300 and grew into one of "
     "the largest and longest-lasting states in history. Under Sultan Mehmed II it captured "
     "Constantinople in 1453, making it the new capital, later known as Istanbul. At its height "
     "in the sixteenth century, under Suleiman the Magnificent, it controlled south-eastern "
     "Europe, the Middle East and North Africa. The empire was dissolved after the First World "
     "War, and the Republic of Turkey was declared in 1923."),
    ("The Mongol Empire",
     "In 1206 Temüjin united the Mongol tribes and took the title Genghis Khan. Using highly "
     "mobile mounted archers and strict organisation, the Mongols built the largest contiguous "
     "land empire in history, stretching from Korea to Hungary. Their conquests were brutal, "
     "but the peace that followed, sometimes called the Pax Mongolica, made trade and travel "
     "across Eurasia safer. Marco Polo travelled to the court of Kublai Khan in this period."),
    ("The Renaissance",
     "The Renaissance, French for \"rebirth\", was a period of European cultural change that "
     "began in fourteenth-century Italy and spread across the continent over the next two "
     "centuries. Scholars revived interest in the literature and learning of ancient Greece and "
     "Rome, a movement known as humanism. Artists such as Leonardo da Vinci, Michelangelo and "
     "Raphael developed realistic perspective and anatomy. Wealthy patrons, including the "
     "Medici family of Florence, funded much of this work."),
    ("The Protestant Reformation",
     "The Reformation was a movement that split Western Christianity in the sixteenth century. "
     "In 1517 the German monk Martin Luther wrote his Ninety-five Theses criticising the sale of "
     "indulgences by the Catholic Church. Helped by the printing press, his ideas spread quickly, "
     "and reformers such as John Calvin and Huldrych Zwingli followed. The religious divisions "
     "that resulted contributed to wars across Europe, including the Thirty Years' War."),
    ("The Meiji Restoration",
     "The Meiji Restoration of 1868 ended more than two centuries of rule by the Tokugawa "
     "shoguns in Japan and returned power to the emperor. The new government set out to "
     "modernise the country rapidly, abolishing the samurai class, introducing conscription, "
     "building railways and factories, and creating a national school system. Within a few "
     "decades Japan had become an industrial and military power, defeating China in 1895 and "
     "Russia in 1905."),
    ("The Berlin Wall",
     "The Berlin Wall was built by East Germany in August 1961 to stop its citizens fleeing to "
     "West Berlin. It grew into a heavily guarded barrier of concrete walls, watchtowers and a "
     "\"death strip\", and at least 140 people were killed trying to cross it. On the evening "
     "of 9 November 1989, after weeks of mass protest, a confused announcement led crowds to "
     "the checkpoints, and guards opened the gates. Germany was reunified less than a year "
     "later."),
    ("Apollo 11 and the First Moon Landing",
     "On 20 July 1969 the Apollo 11 lunar module Eagle landed in the Sea of Tranquillity. Neil "
     "Armstrong stepped onto the surface a few hours later, saying, \"That's one small step for "
     "man, one giant leap for mankind.\" Buzz Aldrin joined him while Michael Collins orbited "
     "above in the command module. The landing fulfilled President John F. Kennedy's 1961 goal "
     "and was watched on television by hundreds of millions of people."),
    ("The Rosetta Stone",
     "The Rosetta Stone is a granodiorite slab inscribed in 196 BCE with a decree of the "
     "Egyptian priests, written in three scripts: hieroglyphic, demotic and ancient Greek. "
     "Found by French soldiers near the town of Rashid, or Rosetta, in 1799, it became a key to "
     "understanding Egyptian hieroglyphs. Building on work by Thomas Young, Jean-François "
     "Champollion announced his decipherment in 1822. The stone has been in the British Museum "
     "since 1802."),
    ("The Vikings",
     "The Vikings were seafaring Scandinavians who raided, traded and settled across Europe "
     "from the late eighth to the eleventh century. Their attack on the monastery of "
     "Lindisfarne in 793 is often taken as the start of the Viking Age. Sailing fast, "
     "shallow-draughted longships, they reached Ireland, France, Russia and Constantinople, and "
     "settled Iceland and Greenland. Around the year 1000 Leif Erikson reached North America, "
     "at a site now identified at L'Anse aux Meadows in Newfoundland."),
    ("Tenochtitlan, Capital of the Aztecs",
     "Tenochtitlan was founded by the Mexica people around 1325 on an island in Lake Texcoco, "
     "in the Valley of Mexico. It grew into one of the largest cities in the world, with "
     "perhaps 200,000 inhabitants, linked to the shore by causeways and fed in part by "
     "chinampas, artificial garden islands. At its centre stood the Templo Mayor. The city fell "
     "to the Spanish under Hernán Cortés and their Indigenous allies in 1521, and Mexico City "
     "was built on its ruins."),
    ("The Inca Road System",
     "The Inca built a road network, the Qhapaq Ñan, of around 40,000 kilometres, running "
     "through the Andes from present-day Colombia to Chile and Argentina. Roads crossed deserts "
     "and high mountain passes, and rope suspension bridges spanned deep gorges. Relay runners "
     "called chasquis carried messages and knotted-cord records known as quipus along them, "
     "covering long distances in days. Storehouses and waystations were spaced along the "
     "routes."),
    ("The Hundred Years' War",
     "The Hundred Years' War was a series of conflicts between England and France that lasted, "
     "on and off, from 1337 to 1453, mainly over English claims to the French throne. English "
     "longbowmen won famous victories at Crécy, Poitiers and Agincourt. The tide turned after "
     "Joan of Arc helped lift the siege of Orléans in 1429. By the end, England had lost almost "
     "all its territory in France except Calais."),
    ("The 1918 Influenza Pandemic",
     "The influenza pandemic of 1918 to 1920, often called the Spanish flu, infected about a "
     "third of the world's population and killed tens of millions of people. The name is "
     "misleading: neutral Spain reported on the disease openly while wartime censorship "
     "elsewhere suppressed news of it. Unusually, it killed many healthy young adults. Cities "
     "that closed schools and banned public gatherings early generally saw lower death rates."),
    ("Women's Suffrage",
     "The campaign for women's right to vote grew through the nineteenth and early twentieth "
     "centuries. In 1893 New Zealand became the first self-governing country to grant women the "
     "vote in national elections. In Britain, suffragists campaigned peacefully while the "
     "suffragettes of Emmeline Pankhurst's Women's Social and Political Union used militant "
     "tactics. American women won the vote with the Nineteenth Amendment in 1920, and many "
     "other countries followed over the next decades."),
    ("The Marshall Plan",
     "The Marshall Plan, officially the European Recovery Program, was an American initiative "
     "to help rebuild Western European economies after the Second World War. Proposed by "
     "Secretary of State George C. Marshall in 1947, it provided about 13 billion dollars in "
     "aid between 1948 and 1952. The money paid for food, fuel, machinery and reconstruction, "
     "and encouraged European economic cooperation. It also aimed to limit the spread of "
     "communism during the early Cold War."),
    ("Indian Independence and Partition",
     "India gained independence from British rule on 15 August 1947, after decades of struggle "
     "led by figures including Mahatma Gandhi, whose campaigns of non-violent civil "
     "disobedience drew mass support. Independence came with partition into two states, India "
     "and Pakistan, along largely religious lines. The division triggered one of the largest "
     "migrations in history, with millions of people uprooted and widespread violence. "
     "Jawaharlal Nehru became India's first prime minister."),
    ("The Great Depression",
     "The Great Depression was the most severe worldwide economic downturn of the twentieth "
     "century. It is usually dated from the Wall Street Crash of October 1929 and lasted through "
     "most of the 1930s. Banks failed, trade collapsed and unemployment in the United States "
     "reached about a quarter of the workforce. Governments responded in different ways, "
     "including Franklin D. Roosevelt's New Deal programmes of public works and financial "
     "reform."),
    ("Athenian Democracy",
     "In the late sixth century BCE, the reforms of Cleisthenes laid the foundations of "
     "democracy in Athens. Adult male citizens could speak and vote in the Assembly, which met "
     "on the hill of the Pnyx, and many public officials were chosen by lot rather than by "
     "election. Women, slaves and foreigners were excluded, so only a minority of residents took "
     "part. Even so, Athens became the model most often cited by later advocates of "
     "government by the people."),
    ("The Code of Hammurabi",
     "The Code of Hammurabi is a set of laws issued by Hammurabi, king of Babylon, around 1750 "
     "BCE. Its nearly 300 provisions, carved on a basalt stele now in the Louvre, cover trade, "
     "property, family, wages and crime. It is famous for punishments based on the principle of "
     "\"an eye for an eye\", though penalties also depended on the social rank of those "
     "involved. It is one of the oldest and most complete written legal codes known."),
    ("The Abolition of the Transatlantic Slave Trade",
     "Between the sixteenth and nineteenth centuries, more than twelve million Africans were "
     "forcibly transported across the Atlantic to the Americas, where most were enslaved on "
     "plantations. Resistance by enslaved people, including the Haitian Revolution, and "
     "campaigns by abolitionists such as Olaudah Equiano and Thomas Clarkson built pressure for "
     "change. Britain banned its slave trade in 1807 and slavery in most of its colonies in "
     "1833. Slavery was abolished in the United States in 1865 and in Brazil in 1888."),
    ("The Rise and Fall of the Roman Republic",
     long_text("""
        According to Roman tradition, the city of Rome expelled its last king, Tarquin the
        Proud, in 509 BCE and replaced monarchy with a republic, a res publica or \"public
        thing\". For nearly five centuries Rome was governed not by a single ruler but by a
        complex system of elected magistrates, a council of elders called the Senate and
        assemblies of citizens. During that time the small city-state grew into the dominant
        power of the Mediterranean world. Then, within a few generations, the republic tore
        itself apart in civil war and gave way to rule by emperors.

        The republic's constitution was never written down in one document; it was a set of
        customs and laws that developed over time. At its head stood two consuls, elected each
        year, who commanded the armies and presided over the government. Having two, each able
        to block the other, and limiting them to a single year in office, was meant to prevent
        anyone from becoming a king again. Below them were other magistrates, such as praetors,
        who administered justice, and quaestors, who managed finances. In emergencies the
        Romans could appoint a dictator with sweeping powers, but only for six months.

        The Senate, made up largely of former magistrates, had no formal power to pass laws,
        yet its advice carried enormous weight, and it controlled finances and foreign policy in
        practice. The assemblies of citizens elected magistrates and voted on laws, though
        their voting was organised in ways that gave more influence to the wealthy. A long
        struggle between the patricians, the old aristocratic families, and the plebeians, the
        ordinary citizens, led to reforms. Plebeians won the right to elect their own officials,
        the tribunes of the plebs, who could veto actions harmful to ordinary people, and
        eventually gained access to every office.

        Rome expanded first across Italy, through war and a network of alliances. In the third
        and second centuries BCE it fought three wars against Carthage, the great trading city of
        North Africa. In the second of these, the Carthaginian general Hannibal famously crossed
        the Alps with war elephants and inflicted crushing defeats on the Romans, including at
        Cannae in 216 BCE. Rome nevertheless recovered, and in 146 BCE it destroyed Carthage
        entirely. In the same year it sacked Corinth, confirming its control of Greece. By then
        Rome ruled territories from Spain to Asia Minor.

        Success brought strains the republic's institutions were not designed to handle.
        Conquest made some senators enormously rich, as they bought up land and worked it with
        enslaved captives, while many small farmers who had served in the legions lost their
        farms. The brothers Tiberius and Gaius Gracchus, elected tribunes in 133 and 123 BCE,
        tried to redistribute public land to poorer citizens. Both were killed by their
        opponents, Tiberius in a riot led by senators, and political violence became part of
        Roman life.

        Military changes deepened the crisis. The general Gaius Marius, consul an unprecedented
        seven times, recruited soldiers from the landless poor, who looked to their commanders
        rather than to the state for pay and land after service. Armies became loyal to their
        generals. In 88 BCE Lucius Cornelius Sulla marched his army on Rome itself, something
        no Roman general had done before, and later made himself dictator without a time limit,
        publishing lists of enemies who could be killed and their property seized.

        In the following decades, powerful individuals overshadowed the institutions. Pompey the
        Great, Marcus Licinius Crassus and Julius Caesar formed an informal alliance, known as
        the First Triumvirate, to advance their interests. Caesar's conquest of Gaul gave him
        wealth, fame and a devoted army. When the Senate ordered him to give up his command, he
        crossed the Rubicon river into Italy with his troops in 49 BCE, starting a civil war. He
        defeated Pompey and was named dictator for life, but on the Ides of March, 44 BCE, he
        was assassinated by a group of senators who claimed to be defending the republic.

        The assassination did not restore the old order. Caesar's adopted heir, Octavian,
        allied with Mark Antony to defeat the assassins, then turned on Antony and his ally,
        Cleopatra of Egypt, defeating them at the naval battle of Actium in 31 BCE. In 27 BCE
        the Senate granted Octavian the name Augustus. He was careful to keep the forms of the
        republic, with consuls and a Senate still in place, and called himself merely the first
        citizen, the princeps. In reality he held supreme power, and he is regarded as the first
        Roman emperor. The republic's ideals, however, lived on, inspiring thinkers and
        constitution-makers from the Renaissance to the founders of modern republics.
     """)),
]

MUSIC = [
    ("Equal Temperament",
     "Equal temperament is the tuning system used on most modern keyboards, in which the octave "
     "is divided into twelve exactly equal semitones. Each semitone raises the frequency by the "
     "twelfth root of two, about 1.059. The trade-off is that no interval except the octave is "
     "perfectly pure: fifths are very slightly narrow and major thirds noticeably wide. In "
     "exchange, music sounds equally in tune in every key, allowing free modulation."),
    ("The Circle of Fifths",
     "The circle of fifths arranges the twelve major keys so that each is a perfect fifth above "
     "the one before: C, G, D, A and so on, returning to C after twelve steps. Moving clockwise "
     "adds one sharp to the key signature each time, and moving anticlockwise adds one flat. "
     "Keys that sit next to each other share most of their notes, which is why changing "
     "between neighbouring keys sounds smooth. Musicians use the circle to work out key "
     "signatures, chord progressions and modulations."),
    ("Sections of the Symphony Orchestra",
     "A modern symphony orchestra is organised into four sections. The strings, the largest "
     "group, include violins, violas, cellos and double basses. The woodwinds include flutes, "
     "oboes, clarinets and bassoons, and the brass includes horns, trumpets, trombones and tuba. "
     "The percussion section covers timpani and a wide range of drums and other instruments. A "
     "full orchestra may have around eighty to a hundred players."),
    ("From Harpsichord to Piano",
     "Around 1700 Bartolomeo Cristofori, an instrument maker in Florence, built the first piano, "
     "which he called a gravicembalo col piano e forte, a harpsichord with soft and loud. "
     "Unlike the harpsichord, whose strings are plucked, the piano's strings are struck by "
     "felt-covered hammers, so the player can control loudness by touch. Over the next century "
     "and a half the instrument grew larger and stronger, gaining iron frames and a wider range. "
     "The modern piano usually has 88 keys."),
    ("Johann Sebastian Bach",
     "Johann Sebastian Bach (1685–1750) was a German composer and organist of the Baroque era. He "
     "spent most of his working life as a church musician, ending in Leipzig, where he wrote "
     "hundreds of cantatas for Sunday services. His works include the Brandenburg Concertos, "
     "the Mass in B minor, the St Matthew Passion and The Well-Tempered Clavier. Though "
     "respected in his lifetime mainly as an organist, he is now regarded as one of the "
     "greatest composers in Western music."),
    ("Beethoven and His Deafness",
     "Ludwig van Beethoven (1770–1827) began to lose his hearing in his late twenties. In 1802 "
     "he wrote the Heiligenstadt Testament, a letter to his brothers describing his despair, "
     "yet he resolved to continue composing. Many of his most celebrated works, including the "
     "Ninth Symphony with its choral finale, \"Ode to Joy\", and the late string quartets, were "
     "written when he was almost completely deaf. He relied on his inner hearing and written "
     "conversation books."),
    ("The Blues and the Twelve-Bar Form",
     "The blues emerged among African American communities in the Deep South of the United "
     "States around the end of the nineteenth century. Its most common structure is the "
     "twelve-bar blues, a repeating sequence of twelve measures built on the first, fourth and "
     "fifth chords of a key. Lyrics often follow an AAB pattern, with a line sung twice and "
     "then answered. Bent \"blue notes\" give the music its expressive sound, and the blues "
     "shaped jazz, rhythm and blues and rock and roll."),
    ("Jazz Improvisation and Bebop",
     "Improvisation, creating music spontaneously while performing, is at the heart of jazz. "
     "Players typically improvise over the chord changes of a tune, taking turns to solo. In the "
     "1940s musicians such as Charlie Parker, Dizzy Gillespie and Thelonious Monk developed "
     "bebop, with fast tempos, complex harmonies and virtuosic melodic lines. Bebop turned jazz "
     "from dance music into music for close listening."),
    ("The Origins of Hip Hop",
     "Hip hop began in the Bronx, New York, in the 1970s. DJ Kool Herc is credited with "
     "extending the instrumental \"breaks\" of funk records by playing two copies on two "
     "turntables, giving dancers, later known as b-boys and b-girls, more time to dance. MCs "
     "began rhyming over the beats. Hip hop culture grew to include DJing, rapping, "
     "breakdancing and graffiti art, and it is now one of the most popular music genres in the "
     "world."),
    ("Reggae",
     "Reggae developed in Jamaica in the late 1960s, growing out of ska and rocksteady. Its "
     "rhythm emphasises the offbeat, often with a chopped guitar chord called the skank, over a "
     "deep, prominent bass line. Many songs carry themes of social justice, spirituality and "
     "the Rastafari movement. Bob Marley and the Wailers brought reggae to a worldwide audience "
     "in the 1970s."),
    ("The Electric Guitar",
     "The electric guitar uses magnetic pickups to turn the vibration of its steel strings into "
     "an electrical signal, which is then amplified. Solid-body designs, such as Leo Fender's "
     "Telecaster of 1950 and the Gibson Les Paul of 1952, reduced feedback and allowed much "
     "louder playing. Guitarists soon discovered that overdriven amplifiers produce a "
     "distorted, sustaining tone. The instrument became central to rock music."),
    ("Synthesizers",
     "A synthesizer generates sound electronically rather than from a vibrating string or air "
     "column. In subtractive synthesis, the most common approach, an oscillator produces a "
     "waveform rich in harmonics, a filter removes some of them to shape the tone, and an "
     "envelope controls how the sound starts and fades. Robert Moog's modular systems of the "
     "1960s and the portable Minimoog brought synthesizers into popular music."),
    ("MIDI",
     "MIDI, the Musical Instrument Digital Interface, is a standard introduced in 1983 that lets "
     "electronic instruments, computers and other devices communicate. A MIDI message does not "
     "carry sound itself; it carries instructions such as which note to play, how hard and when "
     "to release it. This means a performance recorded as MIDI can be edited note by note or "
     "played back on a completely different instrument."),
    ("Opera",
     "Opera is a form of theatre in which the drama is carried mostly or entirely by music and "
     "singing. It began in Italy around 1600, and Claudio Monteverdi's L'Orfeo of 1607 is one "
     "of the earliest works still regularly performed. Operas typically alternate arias, in "
     "which a character expresses emotion, with recitative, which moves the story along. "
     "Composers such as Mozart, Verdi, Wagner and Puccini wrote some of the best-loved works in "
     "the repertoire."),
    ("Gamelan",
     "Gamelan is the traditional ensemble music of Java and Bali in Indonesia. An ensemble "
     "consists mainly of bronze percussion instruments, gongs, metallophones and kettle-gongs, "
     "together with drums and sometimes flutes, strings and voices. The instruments of a set are "
     "tuned to each other rather than to a universal standard, using scales called slendro and "
     "pelog. Balinese gamelan is known for its fast, interlocking patterns."),
    ("Ragas in Indian Classical Music",
     "A raga is a melodic framework in Indian classical music: a set of notes together with "
     "characteristic phrases, ornaments and moods. Ragas are associated with particular times "
     "of day or seasons. A performance often begins with a slow, unmetered exploration of the "
     "raga, called the alap, before a rhythmic cycle known as the tala is introduced with the "
     "drums. The two great traditions are Hindustani music in the north and Carnatic music in "
     "the south."),
    ("Pitch, Frequency and Sound Waves",
     "Sound is a pressure wave travelling through the air. The pitch we hear depends on the "
     "frequency of the wave, the number of vibrations per second, measured in hertz. Doubling "
     "the frequency raises the pitch by an octave. Most orchestras tune to the A above middle C "
     "at 440 hertz, a standard widely adopted in the twentieth century. Young people can hear "
     "from about 20 hertz to 20,000 hertz."),
    ("Harmonics and Timbre",
     "When a string or column of air vibrates, it vibrates not only at its fundamental "
     "frequency but also at whole-number multiples of it, called harmonics or overtones. The "
     "mixture and strength of these harmonics gives each instrument its timbre, or tone colour, "
     "which is why a flute and a violin playing the same note sound different. A clarinet, for "
     "example, produces mainly odd-numbered harmonics in its lower register."),
    ("Rhythm, Metre and Time Signatures",
     "Metre organises beats into repeating groups, and a time signature tells the performer "
     "which grouping to use. In 4/4, common time, each bar has four quarter-note beats, the "
     "standard for most popular music. Waltzes use 3/4, with a strong first beat followed by "
     "two lighter ones. Odd metres such as 5/4, heard in Dave Brubeck's \"Take Five\", or 7/8, "
     "common in Balkan folk music, create an uneven, propulsive feel."),
    ("The Violin and Stradivari",
     "The violin took its modern form in northern Italy in the sixteenth century, and the town "
     "of Cremona became its centre of excellence. Antonio Stradivari, working there in the late "
     "seventeenth and early eighteenth centuries, made instruments that are still prized for "
     "their sound and now sell for millions. Explanations for their quality have included the "
     "dense wood of a cold period, varnish recipes and chemical treatments. Blind listening "
     "tests, however, have often found that players cannot reliably tell them from fine modern "
     "violins."),
    ("Vinyl Records",
     "A vinyl record stores sound as a continuous spiral groove whose tiny wiggles trace the "
     "shape of the sound wave. As the record turns, a stylus follows the groove, and its "
     "vibrations are converted into an electrical signal. The 12-inch long-playing record "
     "spinning at 33⅓ revolutions per minute was introduced in 1948, and the 7-inch single at "
     "45 rpm followed a year later. After decades of decline, vinyl sales revived strongly in "
     "the 2010s."),
    ("Wolfgang Amadeus Mozart",
     "Wolfgang Amadeus Mozart (1756–1791) was born in Salzburg and toured Europe as a child "
     "prodigy, performing for royalty by the age of six. In a life of only 35 years he "
     "composed more than 600 works, including symphonies, piano concertos, chamber music and "
     "operas such as The Marriage of Figaro, Don Giovanni and The Magic Flute. He died in "
     "Vienna while writing his Requiem, which was completed by his student Franz Xaver "
     "Süssmayr."),
    ("Reading Musical Notation",
     "Western staff notation writes music on five horizontal lines. The vertical position of a "
     "note shows its pitch, and a clef at the start of the staff fixes which line stands for "
     "which note: the treble clef marks G above middle C, the bass clef F below it. The shape "
     "of each note shows its duration, from the whole note to quavers and semiquavers with "
     "flags or beams. Rests mark silences of matching lengths."),
    ("Counterpoint and the Fugue",
     "Counterpoint is the art of combining independent melodic lines so that they sound good "
     "together while each keeps its own shape. The fugue is its most elaborate form: a short "
     "theme, the subject, is introduced by one voice and then imitated by others in turn, "
     "entering at different pitches. The voices develop and combine the subject throughout the "
     "piece. J. S. Bach's The Art of Fugue explores the form in depth."),
    ("The Beatles",
     "The Beatles, John Lennon, Paul McCartney, George Harrison and Ringo Starr, formed in "
     "Liverpool and became the most commercially successful band in history. After their early "
     "hits set off \"Beatlemania\" in 1963 and 1964, they stopped touring in 1966 to focus on "
     "the studio. Albums such as Revolver and Sgt. Pepper's Lonely Hearts Club Band pioneered "
     "techniques including tape loops, varispeed and artificial double tracking. The band broke "
     "up in 1970."),
    ("Flamenco",
     "Flamenco is an art form from Andalusia in southern Spain, combining song, called cante, "
     "guitar playing, called toque, and dance, called baile, along with rhythmic hand-clapping. "
     "It developed among Andalusian Gitano communities, drawing on many influences, "
     "and was recognised by UNESCO as intangible cultural heritage in 2010. Flamenco styles, or "
     "palos, have distinct rhythms, many in cycles of twelve beats."),
    ("Tango",
     "Tango arose in the late nineteenth century in the working-class neighbourhoods of Buenos "
     "Aires and Montevideo, on both banks of the Río de la Plata. It blended African, European "
     "and local influences. The bandoneón, a kind of concertina brought from Germany, became its "
     "signature instrument. Astor Piazzolla later created nuevo tango, bringing in elements of "
     "jazz and classical music."),
    ("A Cappella and Choral Singing",
     "A cappella means singing without instrumental accompaniment; the phrase is Italian for "
     "\"in the manner of the chapel\". Choirs usually divide voices into sopranos, altos, tenors "
     "and basses. Renaissance composers such as Palestrina wrote richly interwoven a cappella "
     "church music. Modern groups often imitate instruments vocally, with one singer providing "
     "percussion through beatboxing."),
    ("The Drum Kit",
     "The drum kit lets one player perform on several drums and cymbals at once. Its core "
     "elements are a bass drum played with a foot pedal, a snare drum with metal wires "
     "stretched across its lower head, tom-toms, and cymbals including the hi-hat, a pair "
     "clashed together with a second pedal. The kit took shape in the early twentieth century "
     "in New Orleans and in vaudeville theatre bands, where space was limited."),
    ("The Loudness War",
     "The \"loudness war\" refers to the trend, from the 1990s onwards, of mastering recordings "
     "ever louder. Engineers used heavy dynamic range compression and limiting to raise the "
     "average level so that songs would stand out on radio and in shuffle playlists. The cost "
     "was music with little difference between soft and loud passages, which many listeners "
     "find fatiguing. Loudness normalisation on streaming services has since reduced the "
     "incentive."),
    ("How a Pipe Organ Works",
     long_text("""
        The pipe organ is one of the oldest and most complex musical instruments, and for
        centuries it was the most complicated machine that most people ever saw. A large organ
        can contain thousands of pipes, ranging from tubes smaller than a pencil to giants more
        than ten metres tall, all controlled by a single player. Yet its basic principle is
        simple: air under pressure is sent through pipes, and each pipe sounds one note.

        Every organ has three essential systems: a supply of wind, the pipes that sound, and the
        action that connects the player's keys to the pipes. The ancestor of the instrument, the
        hydraulis, was invented in the third century BCE by Ctesibius of Alexandria, who used
        water to keep the wind pressure steady. Medieval organs used bellows worked by hand or
        foot, sometimes requiring several people to pump them during a service. Modern organs use
        an electric blower, and large reservoirs with weighted tops smooth out the supply so
        that the pressure stays constant no matter how many notes are played at once.

        The pipes come in two main families. Flue pipes work like a whistle or a recorder: air
        is directed through a narrow slit, the flue, against a sharp edge called the lip, and
        the stream flutters back and forth, setting the column of air inside the pipe vibrating.
        The length of the pipe determines the pitch. A pipe sounding the lowest C of a
        keyboard at normal pitch is about eight feet long, which is why organists describe
        stops of normal pitch as eight-foot stops, those an octave higher as four-foot and those
        an octave lower as sixteen-foot. A stopped pipe, closed at the top, sounds an octave
        lower than an open pipe of the same length, allowing deep notes from shorter pipes.

        Reed pipes work differently. Inside the base of each one, a thin brass tongue lies
        against an opening in a tube called the shallot. Wind makes the tongue vibrate, opening
        and closing the gap many times a second, much like the reed of a clarinet or a child's
        grass whistle. The resonator, the visible part of the pipe above, shapes and strengthens
        the tone. Reed stops produce the bright, brassy sounds often named after orchestral
        instruments, such as the trumpet, the oboe and the bassoon-like fagotto, as well as the
        thunderous bombarde.

        Pipes of the same type and tone colour, one for each key, form a rank. The player
        chooses which ranks sound by pulling knobs or pressing tabs called stops; this is the
        origin of the phrase \"pulling out all the stops\". Combining ranks at different pitches
        lets the organist build up sounds from a gentle single flute to the full power of the
        instrument. Special stops called mixtures contain several pipes per note, sounding
        high harmonics that add brilliance. The art of choosing combinations is called
        registration, and it gives the organist a palette of colours comparable to an
        orchestra's.

        Most organs have several keyboards, called manuals, played by the hands, and a
        pedalboard played by the feet, which usually controls the deepest pipes. Each manual
        typically governs its own division of the organ, with its own set of ranks. In many
        organs, one division is enclosed in a wooden box with shutters, the swell box, which the
        player can open and close with a pedal to make the sound louder or softer, since the
        pipes themselves cannot change volume.

        The action is the link between key and pipe. In a mechanical or tracker action, pressing
        a key pulls a series of thin wooden strips, levers and rods that open a valve, the
        pallet, beneath the pipes for that note. Many organists prefer tracker action because
        they can feel the valve open and control the start of each note. In the nineteenth
        century, as organs grew larger and the keys became too heavy to press, builders added
        pneumatic assistance, and later electric actions in which each key simply closes a
        circuit. Electric action allows the console to be placed far from the pipes, but some
        players feel it loses the intimate connection of tracker action.

        The organ's long history has left it at the centre of church music in Europe, and a huge
        repertoire was written for it, above all by Johann Sebastian Bach, himself an expert on
        organ building who was often called upon to test new instruments. Every organ is built
        for its building, its pipes voiced individually to suit the acoustics of the space, so
        no two are quite alike. The Wanamaker Organ in Philadelphia and the organ of Passau
        Cathedral in Germany are among the largest, each with tens of thousands of pipes.
     """)),
]

PROGRAMMING = [
    ("Recursion",
     "A recursive function is one that calls itself to solve a smaller instance of the same "
     "problem. Every recursive function needs a base case that can be answered directly, "
     "otherwise it would call itself forever. Computing a factorial, walking a directory tree "
     "and parsing nested expressions are natural fits. Each call uses a frame on the call stack, "
     "so very deep recursion can overflow it, which is why some languages optimise tail calls."),
    ("Big O Notation",
     "Big O notation describes how the running time or memory use of an algorithm grows as the "
     "input gets larger, ignoring constant factors. An O(1) operation takes the same time "
     "regardless of input size, O(n) grows linearly, and O(n²) grows with the square of the "
     "input, so doubling the data quadruples the work. Sorting by comparisons cannot do better "
     "than O(n log n) in general. Big O usually describes the worst case, though average cases "
     "are often quoted too."),
    ("Hash Tables",
     "A hash table is a data structure that stores key-value pairs and finds the value for a "
     "given key in constant time on average. It applies a hash function to the key to compute "
     "an index into an array of buckets. When two keys land in the same bucket, a collision, the "
     "table either keeps a short list in that bucket or probes for another free slot. As the "
     "table fills up, it is resized and every entry is rehashed. Python's dict, JavaScript's Map "
     "and Java's HashMap are hash tables."),
    ("Binary Search",
     "Binary search finds an item in a sorted array by repeatedly halving the range that could "
     "contain it. It compares the target with the middle element; if the target is smaller, the "
     "search continues in the left half, otherwise in the right. Because the range halves each "
     "step, a million items need only about twenty comparisons, making it O(log n). "
     "Implementations are famously prone to off-by-one errors and, in some languages, to "
     "integer overflow when computing the midpoint."),
    ("Garbage Collection",
     "Garbage collection is automatic memory management: the runtime finds objects that the "
     "program can no longer reach and frees their memory. A common approach, mark and sweep, "
     "starts from roots such as global variables and the call stack, marks everything "
     "reachable, then reclaims the rest. Generational collectors exploit the observation that "
     "most objects die young, collecting recently allocated objects often and old ones rarely. "
     "Java, Go, C# and JavaScript all rely on garbage collection."),
    ("Version Control with Git",
     "Git is a distributed version control system created by Linus Torvalds in 2005 to manage "
     "development of the Linux kernel. Every clone contains the full history of the project, "
     "stored as a chain of snapshots called commits, each identified by a hash of its content. "
     "Branches are lightweight pointers to commits, which makes it cheap to try ideas in "
     "isolation and merge them later. Hosting services add pull requests and code review on "
     "top."),
    ("Unit Testing",
     "A unit test checks a small piece of code, such as a single function, in isolation from "
     "the rest of the system. A good test arranges some inputs, acts by calling the code and "
     "asserts that the result is what was expected. Because unit tests run quickly, developers "
     "can run them after every change and catch regressions early. In test-driven development, "
     "the test is written first and fails, and then just enough code is written to make it "
     "pass."),
    ("REST APIs",
     "REST, short for representational state transfer, is an architectural style for web "
     "services described by Roy Fielding in 2000. A RESTful API exposes resources at URLs and "
     "uses standard HTTP methods on them: GET to read, POST to create, PUT or PATCH to update "
     "and DELETE to remove. Requests are stateless, so each contains everything the server "
     "needs to handle it. Responses carry status codes such as 200 for success or 404 when a "
     "resource is not found."),
    ("SQL Joins",
     "A join combines rows from two tables in a relational database based on a related column. "
     "An inner join returns only the rows with a match in both tables. A left outer join "
     "returns every row from the left table, with NULLs where the right table has no match, "
     "which makes it useful for finding, for example, customers who have never placed an order. "
     "A full outer join keeps unmatched rows from both sides, and a cross join pairs every row "
     "with every other."),
    ("Database Indexes and B-Trees",
     "Without an index, a database must scan every row of a table to find the ones a query asks "
     "for. An index is a separate data structure, most often a B-tree, that keeps the values of "
     "one or more columns in sorted order with pointers back to the rows. A B-tree is shallow "
     "and wide, so even millions of rows can be reached in a few disk reads. The cost is extra "
     "storage and slower writes, because every insert or update must also change the index."),
    ("Threads, Locks and Deadlock",
     "Threads let one program do several things at once while sharing the same memory. When two "
     "threads update the same data without coordination, the result depends on timing, a bug "
     "called a race condition. Locks, or mutexes, prevent this by letting only one thread into a "
     "critical section at a time. But if thread A holds lock 1 and waits for lock 2, while "
     "thread B holds lock 2 and waits for lock 1, both wait forever: a deadlock. Acquiring locks "
     "in a consistent order avoids it."),
    ("Async and Await",
     "Asynchronous programming lets a program start a slow operation, such as a network "
     "request, and do other work while waiting instead of blocking. The async and await "
     "keywords, found in JavaScript, Python, C# and Rust, let asynchronous code read like "
     "ordinary step-by-step code. An async function returns a promise or future, and await "
     "pauses that function until the result is ready, handing control back to the event loop "
     "in the meantime. Forgetting an await is a common source of bugs."),
    ("Compilers and Interpreters",
     "A compiler translates a program's source code into another form, often machine code, "
     "before it runs, while an interpreter executes the program more or less directly, "
     "statement by statement. Compiled programs usually run faster, while interpreters make it "
     "quicker to start and experiment. Many modern systems blur the line: Java compiles to "
     "bytecode for a virtual machine, and JavaScript engines use just-in-time compilation to "
     "turn frequently run code into optimised machine code."),
    ("Static and Dynamic Typing",
     "In a statically typed language such as Java, Rust or TypeScript, the types of variables "
     "are checked before the program runs, so many mistakes are caught by the compiler. In a "
     "dynamically typed language such as Python or Ruby, types are checked as the program runs, "
     "which makes code quicker to write but pushes some errors to run time. Type inference lets "
     "static languages deduce many types without explicit annotations, and gradual typing adds "
     "optional type hints to dynamic languages."),
    ("Functional Programming and Immutability",
     "Functional programming builds programs from pure functions, which always return the same "
     "output for the same input and have no side effects. Data is usually immutable: instead of "
     "changing a value in place, a function returns a new value. Higher-order functions such as "
     "map, filter and reduce take other functions as arguments. These habits make code easier to "
     "test and reason about, and safer to run in parallel. Haskell, Clojure and Elixir embrace "
     "the style, and most mainstream languages borrow from it."),
    ("Object-Oriented Programming",
     "Object-oriented programming organises code around objects that bundle data with the "
     "methods that operate on it. Its key ideas are encapsulation, which hides internal "
     "details behind a public interface; inheritance, which lets a class reuse and extend "
     "another; and polymorphism, which lets different classes respond to the same method call "
     "in their own way. Simula introduced the concepts in the 1960s, and Smalltalk, C++ and "
     "Java made them mainstream. Many developers now favour composition over deep inheritance "
     "hierarchies."),
    ("Regular Expressions",
     "A regular expression is a compact pattern for matching text. For example, the pattern "
     "\\d{3}-\\d{4} matches three digits, a hyphen and four digits, and ^\\s*$ matches a blank "
     "line. Character classes, quantifiers such as * and +, anchors and groups can be combined "
     "to validate input, search logs or extract fields. Regular expressions are powerful but "
     "easy to get wrong, and some patterns with nested quantifiers can take exponential time on "
     "unlucky input."),
    ("Unicode and UTF-8",
     "Unicode assigns a unique number, called a code point, to every character in the world's "
     "writing systems, from Latin letters to Chinese characters and emoji. UTF-8 is the most "
     "common way to store those numbers as bytes. It uses one byte for the 128 ASCII characters "
     "and two to four bytes for everything else, so plain English text is unchanged. Because "
     "characters vary in length, the number of bytes in a string is often different from the "
     "number of characters a user sees."),
    ("Why 0.1 + 0.2 Is Not 0.3: Floating-Point Numbers",
     "Most programming languages store decimal numbers in binary floating point, following the "
     "IEEE 754 standard. Just as one third cannot be written exactly in decimal, numbers like "
     "0.1 cannot be represented exactly in binary, so they are stored as the nearest available "
     "value. Small rounding errors then show up in calculations: in JavaScript or Python, 0.1 + "
     "0.2 gives 0.30000000000000004. Programs should compare floats with a tolerance, and money "
     "is best handled in integer cents or with a decimal type."),
    ("TCP and UDP",
     "TCP and UDP are the two main transport protocols of the internet. TCP sets up a "
     "connection and guarantees that data arrives complete and in order, resending lost packets "
     "and slowing down when the network is congested. UDP simply sends independent packets "
     "called datagrams, with no guarantees of delivery or order. That makes UDP lighter and "
     "faster, which suits video calls, online games and DNS lookups, where a late packet is "
     "useless anyway."),
    ("How DNS Works",
     "The Domain Name System translates human-readable names such as example.com into the "
     "numeric IP addresses computers use to connect. When you visit a site, a resolver asks a "
     "root server which servers handle the top-level domain, then asks those which servers "
     "handle the domain itself, and finally gets the address. Answers are cached at many levels "
     "for a time set by each record's time to live, which keeps lookups fast but means changes "
     "take time to spread."),
    ("HTTP Caching",
     "HTTP caching lets browsers and intermediate servers keep copies of responses so they do "
     "not have to be downloaded again. The Cache-Control header tells caches how long a "
     "response stays fresh, for instance \"max-age=3600\" for one hour, or \"no-store\" to "
     "forbid caching altogether. When a cached copy goes stale, the client can revalidate it "
     "by sending an ETag or a modification date; if nothing has changed, the server answers "
     "304 Not Modified without resending the body."),
    ("Containers",
     "A container packages an application together with its libraries and configuration so "
     "that it runs the same way on any machine. Unlike a virtual machine, a container does not "
     "include its own operating system kernel; it shares the host's kernel and is isolated "
     "using Linux features such as namespaces and control groups. This makes containers "
     "lightweight and fast to start. Docker popularised the approach in 2013, and orchestrators "
     "such as Kubernetes run containers across clusters of machines."),
    ("Public-Key Cryptography",
     "Public-key cryptography uses a pair of mathematically linked keys. Anyone can use the "
     "public key to encrypt a message, but only the holder of the private key can decrypt it. "
     "The same pair allows digital signatures: a message signed with the private key can be "
     "verified by anyone with the public key. The idea was published by Whitfield Diffie and "
     "Martin Hellman in 1976, and RSA followed in 1977. It underpins HTTPS, secure email and "
     "software updates."),
    ("Storing Passwords Safely",
     "Systems should never store users' passwords in plain text. Instead they store the output "
     "of a password hashing function, which cannot practically be reversed. Each password is "
     "combined with a random value called a salt before hashing, so that identical passwords "
     "produce different hashes and precomputed tables are useless. Algorithms designed for "
     "passwords, such as bcrypt, scrypt and Argon2, are deliberately slow, which makes "
     "guessing attacks expensive."),
    ("Arrays and Linked Lists",
     "An array stores elements next to each other in memory, so any element can be reached "
     "directly by its index in constant time, and scanning it is friendly to the CPU cache. "
     "Inserting in the middle, however, means shifting everything after it. A linked list stores "
     "each element in a separate node that points to the next, so inserting or removing a node "
     "is cheap once you have found the spot, but finding an element means walking the chain. "
     "In practice, arrays win for most workloads."),
    ("Quicksort and Mergesort",
     "Quicksort and mergesort are two classic divide-and-conquer sorting algorithms. Quicksort "
     "picks a pivot, partitions the array into elements smaller and larger than it, and sorts "
     "each part recursively; it is usually very fast but degrades to O(n²) with consistently bad "
     "pivots. Mergesort splits the array in half, sorts both halves and merges them, guaranteeing "
     "O(n log n) and keeping equal elements in their original order. Many libraries use hybrids "
     "such as Timsort."),
    ("Memory Leaks",
     "A memory leak happens when a program keeps allocating memory it no longer needs without "
     "releasing it, so its memory use grows until it slows down or crashes. In languages with "
     "manual memory management, such as C, the cause is usually a missing call to free. In "
     "garbage-collected languages, leaks come from references that are unintentionally kept "
     "alive, such as ever-growing caches, forgotten event listeners or global collections. Heap "
     "profilers help find them."),
    ("Continuous Integration",
     "Continuous integration is the practice of merging every developer's changes into a shared "
     "main branch frequently, often several times a day, with each change automatically built "
     "and tested. A CI server runs the test suite on every push or pull request and reports "
     "failures quickly, while they are still easy to fix. The practice avoids painful merges "
     "of long-lived branches. Continuous delivery extends it by keeping the main branch always "
     "ready to release."),
    ("Vector Embeddings and Semantic Search",
     "A text embedding is a list of numbers, a vector, produced by a neural network so that "
     "texts with similar meanings end up close together in vector space. Semantic search embeds "
     "both the documents and the query, then returns the documents whose vectors are nearest "
     "to the query's, usually by cosine similarity. Unlike keyword search, it can match \"how "
     "do I fix a flat tyre\" with a page about repairing a bicycle puncture. Vector databases "
     "use approximate nearest-neighbour indexes to search millions of vectors quickly."),
    ("A Gentle Introduction to Graph Algorithms",
     long_text("""
        A graph is one of the most useful ideas in computer science. It consists of a set of
        nodes, also called vertices, and a set of edges connecting pairs of them. Road maps,
        social networks, the links between web pages, the dependencies between software
        packages and the routes of packets across the internet can all be described as graphs.
        Once a problem is expressed as a graph, a small family of well-understood algorithms can
        often solve it.

        Graphs come in several flavours. In an undirected graph, an edge between A and B can be
        travelled in both directions, like a friendship. In a directed graph, edges have a
        direction, like a one-way street or a web link. Edges may also carry weights, such as
        distances, travel times or costs. Programs usually store a graph as an adjacency list,
        which records for each node the list of its neighbours, or as an adjacency matrix, a
        grid with a cell for every pair of nodes. Adjacency lists are compact for sparse graphs,
        where most pairs of nodes are not connected, which is the common case in practice.

        The two fundamental ways to explore a graph are breadth-first search and depth-first
        search. Breadth-first search, or BFS, starts at one node, visits all of its neighbours,
        then all of their unvisited neighbours, and so on, spreading outward in layers. It uses
        a queue to remember which nodes to visit next. Because it explores nodes in order of the
        number of edges from the start, BFS finds the shortest path in an unweighted graph, such
        as the fewest moves to solve a puzzle or the fewest connections between two people in a
        social network.

        Depth-first search, or DFS, instead follows one path as far as it can go before backing
        up and trying another branch, like exploring a maze by keeping one hand on the wall. It
        can be written with a stack or, very naturally, with recursion. DFS is the basis for
        many other algorithms. It can detect cycles, find connected components and produce a
        topological sort of a directed acyclic graph: an ordering in which every node comes
        after all the nodes it depends on. Build systems and package managers use topological
        sorting to decide the order in which to compile or install things.

        When edges have weights, the shortest path is no longer the one with the fewest edges.
        Dijkstra's algorithm, published by Edsger Dijkstra in 1959, solves this for graphs whose
        weights are not negative. It keeps a tentative distance for every node, starting at zero
        for the source and infinity for the rest. At each step it picks the unvisited node with
        the smallest tentative distance, marks it as settled, and checks whether going through it
        offers a shorter route to any of its neighbours, updating their distances if so. With a
        priority queue to find the next node efficiently, it runs in about O((V + E) log V) time
        for V nodes and E edges. Route planners and network routing protocols use variants of
        it.

        Dijkstra's algorithm fails if some edges have negative weights, because a node it has
        already settled might later be reachable more cheaply. The Bellman-Ford algorithm handles
        negative weights by relaxing every edge repeatedly, V minus one times, and it can also
        detect negative cycles, loops whose total weight is negative, where no shortest path
        exists. It is slower, at O(V times E). For finding shortest paths between every pair of
        nodes, the Floyd-Warshall algorithm uses dynamic programming over a matrix. In games and
        robotics, the A* algorithm extends Dijkstra's with a heuristic, such as the straight-line
        distance to the goal, to explore the most promising directions first.

        Another classic problem is connecting all the nodes as cheaply as possible, for example
        laying cable between towns. The result is a minimum spanning tree, a set of edges with
        the lowest total weight that connects every node without cycles. Kruskal's algorithm
        builds it by sorting the edges by weight and adding each one unless it would create a
        cycle, using a union-find structure to check quickly. Prim's algorithm grows the tree
        from a single node, always adding the cheapest edge that reaches a new node.

        Graphs also model flows, such as water through pipes or traffic through a network, and
        the max-flow min-cut theorem links the greatest possible flow to the weakest set of
        connections. Search engines have ranked pages by treating the web as a graph, as in the
        original PageRank algorithm, which scores a page by the scores of the pages linking to
        it. Learning to recognise when a problem is secretly a graph problem is one of the most
        valuable skills a programmer can develop, because it turns a new puzzle into a familiar
        one with a known solution.
     """)),
]

SPORTS = [
    ("The Offside Rule in Football",
     "In association football, a player is in an offside position if, when a teammate plays the "
     "ball to them, they are in the opponents' half and nearer to the goal line than both the "
     "ball and the second-to-last defender, who is usually the last outfield player. Being in "
     "that position is not an offence in itself; the player is penalised only if they become "
     "involved in active play. A player cannot be offside directly from a goal kick, throw-in "
     "or corner kick. The rule stops attackers from simply waiting beside the goalkeeper."),
    ("The Marathon: From Legend to Olympic Event",
     "The marathon recalls the legend of Pheidippides, a Greek messenger said to have run from "
     "the battlefield of Marathon to Athens around 490 BCE to announce victory before "
     "collapsing. The race was introduced at the first modern Olympics in Athens in 1896. Its "
     "distance was not fixed until 1921, at 42.195 kilometres, the length used at the 1908 "
     "London Olympics, where the course ran from Windsor Castle to the royal box in the "
     "stadium."),
    ("Why \"Love\" Means Zero in Tennis",
     "Tennis uses an unusual scoring system. Points within a game go love, 15, 30, 40 and game, "
     "and a player must win by two points, so at 40-all, called deuce, play continues until "
     "one side leads by two. Games make up sets, usually won by the first to six games with a "
     "two-game margin, often settled by a tie-break at six-all. The origin of \"love\" for zero "
     "is uncertain; one popular theory links it to the French l'oeuf, \"the egg\", for its "
     "shape."),
    ("Cricket, Explained Briefly",
     "Cricket is played between two teams of eleven on an oval field with a 22-yard pitch at its "
     "centre. One team bats, trying to score runs, while the other bowls and fields, trying to "
     "dismiss ten batters by bowling, catching or running them out. Test matches between "
     "national teams can last up to five days, while the Twenty20 format finishes in about "
     "three hours. The sport is hugely popular in India, Pakistan, Australia, England and the "
     "Caribbean."),
    ("The Invention of Basketball",
     "Basketball was invented in December 1891 by James Naismith, a Canadian physical education "
     "instructor at a YMCA training school in Springfield, Massachusetts. He needed an indoor "
     "game to keep students active through the New England winter. The first games used a "
     "soccer ball and two peach baskets nailed to the balcony, and someone had to retrieve the "
     "ball after each score. Naismith's original thirteen rules banned running with the ball."),
    ("The Tour de France",
     "The Tour de France is the most famous cycling race in the world, first held in 1903 to "
     "promote the sports newspaper L'Auto. Held each July, it covers about 3,500 kilometres in "
     "21 stages over three weeks, including punishing climbs in the Alps and the Pyrenees. The "
     "overall leader wears the yellow jersey, the maillot jaune. Riders compete in teams, with "
     "domestiques sacrificing their own chances to shelter and support their leaders."),
    ("The Olympic Games, Ancient and Modern",
     "The ancient Olympic Games were held at Olympia in Greece in honour of Zeus, traditionally "
     "from 776 BCE, every four years for more than a thousand years. Events included running, "
     "wrestling, boxing, chariot racing and the pentathlon. Inspired by that tradition, Pierre "
     "de Coubertin founded the International Olympic Committee in 1894, and the first modern "
     "Games took place in Athens in 1896. The Winter Games began in 1924."),
    ("Sumo Wrestling",
     "Sumo is a Japanese form of wrestling with roots in Shinto ritual. Two wrestlers, called "
     "rikishi, face each other in a circular ring, the dohyō, and a bout is won by forcing the "
     "opponent out of the ring or making any part of his body other than the soles of his feet "
     "touch the ground. Most bouts last only seconds. Professional wrestlers live and train "
     "together in stables, and the highest rank is yokozuna, grand champion."),
    ("Rugby Union and Rugby League",
     "Rugby split into two codes in 1895, when clubs in northern England broke away over the "
     "right to compensate working-class players for time lost from work. Rugby union is played "
     "with fifteen players a side and features contested scrums, lineouts and rucks. Rugby "
     "league uses thirteen players and a limited number of tackles, six, before possession "
     "changes, producing a faster, more open game. Both award a try for grounding the ball "
     "over the opponents' goal line."),
    ("Baseball Basics",
     "Baseball is played by two teams of nine who take turns batting and fielding over nine "
     "innings. The pitcher throws the ball towards home plate, and the batter tries to hit it "
     "into fair territory and run around the four bases. Three strikes make an out, four balls "
     "give a free walk to first base, and three outs end a team's half-inning. A run scores when "
     "a player returns safely to home plate."),
    ("Formula One",
     "Formula One is the highest class of single-seater motor racing, with a world championship "
     "first held in 1950. The cars use sophisticated aerodynamics to generate downforce, "
     "pressing them onto the track so they can corner at extraordinary speeds. Since 2014 they "
     "have used turbocharged hybrid power units that recover energy from braking and from the "
     "exhaust. Race strategy often hinges on tyre choice and the timing of pit stops, which "
     "can take barely two seconds."),
    ("The Four Competitive Swimming Strokes",
     "Competitive swimming recognises four strokes. Freestyle, almost always the front crawl, "
     "is the fastest; backstroke is swum on the back; breaststroke uses a simultaneous frog "
     "kick and is the slowest; and butterfly uses a dolphin kick with both arms swinging "
     "forward together. In medley events a swimmer or team uses all four. Races take place in "
     "25-metre or 50-metre pools."),
    ("The Golf Handicap",
     "A golf handicap is a measure of a player's ability that allows golfers of different "
     "standards to compete fairly. Under the World Handicap System, introduced in 2020, a "
     "handicap index is calculated from the best eight of a player's most recent twenty scores, "
     "adjusted for the difficulty of each course. A player with a handicap of 18 would be "
     "expected to take roughly one stroke over par per hole. In a handicap competition, strokes "
     "are deducted from each player's gross score."),
    ("Ice Hockey",
     "Ice hockey is a fast team sport played on an ice rink by two teams of six, usually five "
     "skaters and a goaltender, who use sticks to shoot a hard rubber puck into the opposing "
     "goal. Its modern form developed in Montreal in the 1870s. Players change on the fly "
     "without stopping play, with shifts often lasting less than a minute. The National Hockey "
     "League's Stanley Cup, first awarded in 1893, is one of the oldest trophies in North "
     "American sport."),
    ("Volleyball and Beach Volleyball",
     "Volleyball was invented in 1895 by William G. Morgan in Holyoke, Massachusetts, as a less "
     "strenuous alternative to basketball. Indoor teams have six players, and each side may "
     "touch the ball up to three times, typically a dig, a set and an attacking spike, before "
     "returning it over the net. Beach volleyball is played on sand by teams of two. Both "
     "versions are Olympic sports, beach volleyball since 1996."),
    ("Table Tennis",
     "Table tennis began as an after-dinner game in Victorian England, played with improvised "
     "equipment such as books for a net, and was sold under names like \"Ping-Pong\". The modern "
     "game uses a 40-millimetre ball and rubber-covered paddles that impart heavy spin. Games "
     "are played to eleven points, and a player must win by two. Top players react to shots "
     "travelling at over 100 kilometres per hour across a table less than three metres long."),
    ("Rock Climbing Grades",
     "Climbers rate the difficulty of routes with grading systems, and different countries use "
     "different scales. In the United States, the Yosemite Decimal System rates roped climbs "
     "from 5.0 to 5.15, with letters a to d subdividing the harder grades. The French system, "
     "widely used in sport climbing, runs from 1 to 9c. Bouldering, climbing short problems "
     "without ropes over crash pads, has its own scales, such as the V-scale."),
    ("Surfing",
     "Surfing developed in Polynesia, and it was deeply rooted in Hawaiian culture, where it was "
     "known as heʻe nalu, long before Europeans arrived. The Hawaiian swimmer Duke Kahanamoku "
     "popularised it around the world in the early twentieth century. Surfers read the ocean to "
     "find waves that break gradually along a reef or sandbar, paddle to match their speed and "
     "then stand up and ride along the face. Surfing made its Olympic debut at the Tokyo Games, "
     "held in 2021."),
    ("Cross-Country Skiing",
     "Cross-country skiing is one of the most demanding endurance sports, working almost every "
     "muscle in the body. It comes in two techniques: classic, in which skis move parallel "
     "within prepared tracks, and skating, a faster style in which skiers push off at an angle "
     "like ice skaters. The sport grew out of a practical way of travelling over snow in "
     "Scandinavia thousands of years ago. Norway has dominated Olympic competition in it."),
    ("Boxing Weight Classes",
     "Professional boxing divides fighters into weight classes so that opponents are of similar "
     "size, from minimumweight up to heavyweight, which has no upper limit. Boxers must weigh in "
     "the day before a fight and be at or under the limit of their division. Bouts are scheduled "
     "for up to twelve three-minute rounds in championship fights and are won by knockout, "
     "stoppage or judges' decision. The Marquess of Queensberry Rules of 1867 introduced "
     "gloves and timed rounds."),
    ("Archery",
     "Archery is among the oldest of sports, descended from hunting and warfare. In Olympic "
     "target archery, competitors shoot recurve bows at a target 70 metres away, whose ten "
     "scoring rings are about the size of a dinner plate at the centre. Modern compound bows "
     "use a system of cables and cams that reduces the force the archer must hold at full draw. "
     "South Korea has dominated Olympic archery for decades."),
    ("The Pole Vault",
     "In the pole vault, athletes sprint down a runway holding a long, flexible pole, plant it "
     "in a box and use it to launch themselves over a bar. Poles were once made of wood, then "
     "bamboo and aluminium; the fibreglass and carbon fibre poles introduced around 1960 bend "
     "dramatically and store energy, sending heights soaring. Armand Duplantis of Sweden has "
     "raised the world record many times, each time by a single centimetre, to over six "
     "metres."),
    ("The Decathlon",
     "The decathlon is a two-day contest of ten track and field events, traditionally seen as "
     "the test of the world's best all-round athlete. Day one consists of the 100 metres, long "
     "jump, shot put, high jump and 400 metres; day two brings the 110 metres hurdles, discus, "
     "pole vault, javelin and 1500 metres. Performances in each event are converted into points "
     "using scoring tables. Women usually compete in the seven-event heptathlon."),
    ("Badminton",
     "Badminton is played with light rackets and a shuttlecock, traditionally made of sixteen "
     "goose feathers set in a cork base. The shuttle's shape makes it decelerate quickly, so "
     "rallies combine delicate drop shots near the net with powerful smashes; a smash can leave "
     "the racket at over 400 kilometres per hour, the fastest of any racket sport. Games are "
     "played to 21 points. The sport is especially popular in Asia, notably in China, "
     "Indonesia, Malaysia and Denmark in Europe."),
    ("Rowing",
     "In competitive rowing, athletes propel a narrow boat with oars while sitting on sliding "
     "seats, facing backwards. In sweep rowing each rower holds one oar, while in sculling each "
     "holds two. Olympic races are held over 2,000 metres, and an eight, with a coxswain who "
     "steers and calls the rhythm, is the fastest boat. The annual Boat Race between Oxford and "
     "Cambridge universities on the River Thames dates from 1829."),
    ("Judo",
     "Judo, \"the gentle way\", was founded in Japan in 1882 by Jigoro Kano, who adapted older "
     "jujutsu techniques into a sport and system of physical education. Its core principle is "
     "to use an opponent's force and balance against them rather than meeting strength with "
     "strength. Contests are won by throwing an opponent cleanly onto their back, pinning them, "
     "or applying a joint lock or choke that makes them submit. Judo became an Olympic sport in "
     "1964."),
    ("Fencing",
     "Modern fencing uses three weapons. The foil and the sabre have rules of \"right of way\" "
     "that decide which fencer gets the point when both hit at once; the foil scores only with "
     "the tip on the torso, while the sabre can score with the edge anywhere above the waist. "
     "The épée has no right of way: the whole body is a target and the first touch counts. "
     "Electronic scoring records hits through wires connected to the weapons and to "
     "conductive jackets."),
    ("Curling",
     "Curling is played on ice by two teams of four, who slide heavy granite stones towards a "
     "target called the house. The stone is given a slight rotation on release, making it "
     "\"curl\" as it travels. Teammates sweep the ice in front of the moving stone with brooms, "
     "which briefly warms the surface and lets the stone travel farther and straighter. The "
     "game originated in Scotland in the sixteenth century, and many stones are still quarried "
     "on the island of Ailsa Craig."),
    ("The Triathlon and the Ironman",
     "A triathlon combines swimming, cycling and running in one continuous race, with the time "
     "spent changing between them, in the transition, counted too. The Olympic distance is a "
     "1.5-kilometre swim, a 40-kilometre bike ride and a 10-kilometre run. The Ironman, first "
     "held in Hawaii in 1978, is far longer: a 3.86-kilometre swim, a 180-kilometre ride and a "
     "full marathon. Triathlon joined the Olympic programme in 2000."),
    ("VO2 Max and Aerobic Fitness",
     "VO2 max is the maximum rate at which a person can take in and use oxygen during intense "
     "exercise, usually expressed in millilitres of oxygen per kilogram of body weight per "
     "minute. It reflects how well the heart, lungs and muscles work together. Elite "
     "cross-country skiers and cyclists have recorded values above 80, compared with roughly "
     "35 to 45 for typical untrained adults. Training can raise it, but genetics sets much of "
     "the ceiling."),
    ("The Evolution of the High Jump",
     long_text("""
        The high jump looks like the simplest of athletic events: run up, jump, and clear a bar
        without knocking it off. Yet the way athletes do it has changed more dramatically than
        in almost any other sport. Over about a century, jumpers went from scissoring over the
        bar upright to diving over it head first and face up. Each change in technique was
        driven by the same goal, getting the body over the bar while raising its centre of mass
        as little as possible, and each was made possible by changes in the landing area.

        In the nineteenth and early twentieth centuries, jumpers landed in sand pits or on low
        piles of sawdust, so they had to come down on their feet. The most natural style was the
        scissors: the athlete approached from the side, swung the leg nearest the bar up and
        over, then followed with the other leg in a scissoring motion, staying more or less
        upright. The scissors is still taught to beginners, but it is inefficient, because the
        jumper's hips and centre of mass must rise well above the bar.

        Athletes soon looked for ways to lay their bodies flatter over the bar. The Eastern
        cut-off, developed in the United States around the turn of the twentieth century, added a
        twist to the scissors so that the jumper's back was almost horizontal at the top. The
        Western roll, popularised by the American George Horine, who set a world record of 2.01
        metres in 1912, had the athlete take off from the inside foot and roll over the bar on
        his side. For a time, rules required the feet to cross the bar before the head, which
        limited experimentation.

        The straddle technique, which dominated from the 1930s to the late 1960s, had the
        athlete cross the bar face down, draping the body around it as though lying on it, with
        the legs straddling it one after the other. Done well, the straddle allowed the centre of
        mass to pass very close to, or even slightly below, the bar, since parts of the body
        hung down on each side. The Soviet jumper Valeriy Brumel set several world records with
        it in the early 1960s, reaching 2.28 metres. Mastering the straddle required
        considerable strength and years of practice.

        The decisive change arrived at the 1968 Olympic Games in Mexico City. Dick Fosbury, a
        young American from Oregon, won the gold medal using a technique almost nobody had seen
        before. He approached the bar on a curving run, took off from the foot farther from the
        bar, turned his back to it in the air and went over head first, arching his back and
        then kicking his legs up and over at the end. Spectators were astonished, and the press
        called it the Fosbury Flop. Fosbury had developed it gradually as a teenager, because he
        struggled with the straddle and found he could jump higher by adapting the old scissors.

        The flop depended on new technology. Landing on the back or the shoulders into a sand
        pit would have been dangerous, but by the 1960s many schools and stadiums had deep foam
        landing mats. Fosbury was in the right place at the right time. The flop also turned out
        to be biomechanically superior. The curved approach lets the athlete lean away from the
        bar and convert horizontal speed into vertical lift, and the arched body position means
        the centre of mass can travel underneath the bar even as each part of the body passes
        over it in turn. It is also easier to learn than the straddle, so young athletes could
        master it quickly.

        Within about a decade, the flop had taken over. Dwight Stones set world records with it
        in the 1970s, and by the 1980 Olympics nearly every finalist used it. The last world
        record set with the straddle was Vladimir Yashchenko's 2.35 metres, indoors, in 1978.
        Today the flop is used by virtually all high jumpers at every level. The men's world
        record, 2.45 metres, was set by Javier Sotomayor of Cuba in 1993, and the women's
        record has been pushed above two metres, most recently by Yaroslava Mahuchikh of
        Ukraine, who cleared 2.10 metres in 2024.

        The story of the high jump is often told as a lesson about innovation: one athlete,
        dissatisfied with the standard method, found a better one that now seems obvious. It is
        also a reminder that technique, equipment and rules evolve together. Without soft
        landing mats, the flop would never have been allowed, and without the flop, the modern
        high jump would look very different.
     """)),
    ("Training for a Marathon",
     long_text("""
        Running a marathon, 42.195 kilometres, is a goal for millions of recreational runners
        every year. Finishing one comfortably depends far less on talent than on steady,
        sensible preparation. Most training plans for first-timers last between sixteen and
        twenty weeks and assume the runner can already run for about thirty minutes without
        stopping. The aim is to build endurance gradually, so that the body adapts without
        breaking down.

        The foundation of marathon training is easy running. Most of the weekly distance, often
        around eighty percent, should be run at a relaxed, conversational pace: slow enough to
        speak in full sentences. Easy running strengthens the heart, increases the number of
        small blood vessels supplying the muscles and multiplies the mitochondria inside muscle
        cells, improving the body's ability to use oxygen and burn fat for fuel. Many beginners
        run their easy days too fast, which leaves them tired for the sessions that matter.

        The key session of the week is the long run. Starting from perhaps ten or twelve
        kilometres, it grows by a kilometre or two most weeks, typically peaking at around 30 to
        35 kilometres three to four weeks before race day. Long runs teach the body to run for
        hours, strengthen tendons and ligaments, and give the runner practice with shoes,
        clothing, drinks and gels. Most coaches advise against running the full distance in
        training, since the recovery cost is high and the benefit small.

        Many plans add one or two quality sessions each week for runners with time goals. Tempo
        runs are sustained efforts at a comfortably hard pace, roughly the pace one could hold for
        an hour in a race, which raises the lactate threshold, the intensity above which fatigue
        builds rapidly. Interval sessions, such as repeated fast kilometres with short recoveries,
        improve maximal aerobic capacity and running economy. Sessions at the goal marathon pace
        help the runner learn exactly how that pace should feel.

        A common rule of thumb is to increase weekly distance by no more than about ten percent
        at a time, and to include a lighter recovery week every third or fourth week. Adaptation
        happens during recovery, not during the run itself: training provides the stimulus, and
        rest allows the body to rebuild stronger. Sleep, strength training for the hips, legs and
        core, and attention to early warning signs of injury, such as pain that changes the way
        one runs, all help a runner reach the start line healthy. Most running injuries come
        from doing too much, too soon.

        Nutrition becomes important as distances grow. The muscles store carbohydrate as
        glycogen, enough for roughly 90 minutes to two hours of hard running. When those stores
        run low, runners can suddenly slow dramatically and feel exhausted, an experience known as
        hitting the wall, often around the 30-kilometre mark. To postpone it, marathoners eat
        carbohydrate-rich meals in the days before the race and take in carbohydrate during it,
        commonly 30 to 60 grams or more per hour from drinks, gels or sweets. Practising this in
        long runs trains the gut to tolerate it.

        In the final two to three weeks before the race, runners taper, reducing their training
        volume substantially while keeping some short, faster efforts. The taper lets muscles
        repair, glycogen stores fill and accumulated fatigue fade, and studies show it improves
        race performance. Many runners feel restless and sluggish during the taper; this is
        normal.

        On race day, the most common mistake is starting too fast, carried along by adrenaline
        and the crowd. An even pace, or a slightly faster second half, usually produces the best
        result. Drinking to thirst, taking fuel early and regularly, and breaking the distance
        into manageable sections help. After crossing the line, most runners need a week or two
        of easy activity before returning to serious training. Whatever the finishing time,
        completing a marathon is a genuine achievement built on months of patient work.
     """)),
]

CATEGORIES = [
    ("ast", "astronomy", ASTRONOMY),
    ("bio", "biology", BIOLOGY),
    ("cook", "cooking", COOKING),
    ("geo", "geography", GEOGRAPHY),
    ("hist", "history", HISTORY),
    ("mus", "music", MUSIC),
    ("prog", "programming", PROGRAMMING),
    ("sport", "sports", SPORTS),
]

# Fictional authors. Some names carry a comma or double quotes on purpose (CSV quoting).
AUTHORS = [
    "Maria Lindqvist",
    "Okonkwo, Chidi",
    "Priya Raman",
    "Tomás Herrera",
    "Hannah Weiss",
    "Kenji Watanabe",
    'Eleanor "Nell" Brooks',
    "Samuel Adeyemi",
    "Li Wei",
    "Fatima Zahra Benali",
    "Liam O'Connor",
    "Sofia Rossi",
    "Volkov, Dmitri",
    "Amara Nwosu",
    "Jonas Becker",
    "Grace Mwangi",
    "Rahul Mehta",
    "Claire Dubois",
    "Mateus Costa",
    "Ingrid Halvorsen",
]

# Queries for a smoke test of semantic search: the expected row is named by title, so that the
# ids below stay right if rows are added elsewhere.
QUERIES = [
    ("how do stars produce energy", "How Stars Shine: Nuclear Fusion in Stellar Cores"),
    ("how do plants turn sunlight into sugar", "Photosynthesis"),
    ("why does meat turn brown when you sear it in a hot pan", "The Maillard Reaction: Why Seared Food Browns"),
    ("why do the continents slowly drift apart", "Plate Tectonics"),
    ("who invented printing with movable metal type in Europe", "Gutenberg and the Printing Press"),
    ("when is a football player offside", "The Offside Rule in Football"),
    ("data structure that looks up a value by its key in constant time", "Hash Tables"),
    ("why does 0.1 + 0.2 not equal 0.3 in my program", "Why 0.1 + 0.2 Is Not 0.3: Floating-Point Numbers"),
    ("how does an organ produce sound from its pipes", "How a Pipe Organ Works"),
    ("algorithm for the shortest path in a weighted graph", "A Gentle Introduction to Graph Algorithms"),
    ("how did Julius Caesar's rise end the Roman Republic", "The Rise and Fall of the Roman Republic"),
    ("what is the twelve-bar blues chord structure", "The Blues and the Twelve-Bar Form"),
]

LONG_MIN_WORDS, LONG_MAX_WORDS = 600, 1200


def build_rows() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    rows = []
    for prefix, category, articles in CATEGORIES:
        for n, (title, body) in enumerate(articles, start=1):
            rows.append({
                "id": f"{prefix}-{n:03d}",
                "title": title,
                "body": body,
                "category": category,
                "year": str(rng.randint(2014, 2025)),
                "author": rng.choice(AUTHORS),
            })
    return rows


def check_rows(rows: list[dict[str, str]]) -> list[str]:
    """Problems with the corpus; empty when it is as intended."""
    problems = []
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        problems.append("duplicate ids")
    titles = [r["title"] for r in rows]
    if len(set(titles)) != len(titles):
        problems.append("duplicate titles")
    for r in rows:
        if not r["body"].strip():
            problems.append(f"{r['id']}: empty body")
        if r["body"] != r["body"].strip():
            problems.append(f"{r['id']}: body has leading or trailing whitespace")
    long_rows = [r for r in rows if "\n\n" in r["body"]]
    for r in long_rows:
        words = len(r["body"].split())
        if not LONG_MIN_WORDS <= words <= LONG_MAX_WORDS:
            problems.append(f"{r['id']}: long body has {words} words")
    if len(long_rows) != 10:
        problems.append(f"{len(long_rows)} long rows, expected 10")
    if not 240 <= len(rows) <= 260:
        problems.append(f"{len(rows)} rows, expected about 250")
    for what, pred in [
        ("a comma", lambda v: "," in v),
        ("a double quote", lambda v: '"' in v),
        ("a newline", lambda v: "\n" in v),
    ]:
        for field in ("title", "body", "author"):
            if field != "body" and what == "a newline":
                continue
            if not any(pred(r[field]) for r in rows):
                problems.append(f"no {field} contains {what}")
    by_title = {r["title"] for r in rows}
    for _, title in QUERIES:
        if title not in by_title:
            problems.append(f"query target not found: {title}")
    return problems


def render_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(
        out,
        fieldnames=["id", "title", "body", "category", "year", "author"],
        quoting=csv.QUOTE_MINIMAL,
        lineterminator="\n",
    )
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def render_queries(rows: list[dict[str, str]]) -> str:
    id_by_title = {r["title"]: r["id"] for r in rows}
    return "".join(
        json.dumps({"query": q, "expect": id_by_title[t]}, ensure_ascii=False) + "\n"
        for q, t in QUERIES
    )


def main(argv: list[str]) -> int:
    rows = build_rows()
    problems = check_rows(rows)
    if problems:
        for p in problems:
            print(f"problem: {p}", file=sys.stderr)
        return 1
    csv_text, queries_text = render_csv(rows), render_queries(rows)

    # Round trip: what the csv module reads back is exactly what was meant.
    if list(csv.DictReader(io.StringIO(csv_text))) != rows:
        print("problem: CSV does not read back to the same rows", file=sys.stderr)
        return 1

    if "--check" in argv:
        stale = [p.name for p, text in [(CSV_PATH, csv_text), (QUERIES_PATH, queries_text)]
                 if not p.exists() or p.read_text(encoding="utf-8") != text]
        if stale:
            print(f"out of date: {', '.join(stale)} (run python3 samples/make_articles.py)",
                  file=sys.stderr)
            return 1
        print("samples are up to date")
        return 0

    CSV_PATH.write_text(csv_text, encoding="utf-8")
    QUERIES_PATH.write_text(queries_text, encoding="utf-8")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["category"]] = counts.get(r["category"], 0) + 1
    long_words = sorted(len(r["body"].split()) for r in rows if "\n\n" in r["body"])
    print(f"wrote {CSV_PATH.name}: {len(rows)} rows, {len(csv_text.encode())} bytes; "
          f"{QUERIES_PATH.name}: {len(QUERIES)} queries")
    print("per category: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    print(f"long bodies (words): {long_words}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
