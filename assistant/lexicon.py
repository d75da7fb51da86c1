"""English/French lexicon: words of business and industry news that share no spelling.

Each line is one meaning; a question word from a line also looks for the line's other
words in passages of either language (folded: lower case, no accents). A word of five
letters or more also stands for the words sharing its first five letters ("heads" is
"head", "fournira" is "fournir"), so a line lists stems, not every inflection. The lexicon
feeds the cross-lingual evidence checks (lexical share, term weights, event words); it
never decides an answer by itself. Words that spell an unrelated common word in the other
language are left out ("car" is French for "because" and stays out of new lines,
"chose" is French for "thing", "cote" is both "coast" and "listed", "tête" made "à la tête
de" match "pilot line" through "piloter").
"""

from __future__ import annotations

# The groups the answerer grew with the dev sets (industry, deals, places, roles, months).
CORE = """
open opens opened opening ouvrir ouvre ouvert ouverte ouverture inaugur
found founded founder creat fonder fonde fondee fondateur cree creee creation
build builds built construire construit construite construction
make makes made manufactur produce produces produced production fabriqu produire produit produira
supply supplies supplied supplier deliver delivers fournir fournit fournira fourniture fournisseur livrer livre livrera
sell sells sold sales vendre vend vendu ventes ecoule ecoules ecouler
buy buys bought acquire acquired acheter achete acquerir acquis rachat
invest invests invested investment investir investit investissement
employ employs employees staff workers jobs employer emploie salaries effectif emplois
sign signs signed signing signer signe signature
announce announced announcement annoncer annonce
present presented unveil unveiled presentation presenter presente devoile
launch launches launched lancer lance lancera lancement
plant factory factories site usine usines gigafactory
shareholder shareholders owner owned own actionnaire actionnaires detient detenue detenu detenir proprietaire appartient appartiennent appartenir
stake stakes share holding participation part capital
partner partners partnership partenaire partenaires partenariat alliance
meet meets meeting board council reunion reunit conseil rencontre rencontres rencontrer
month monthly mois mensuel
year yearly annual annually annee an annuel
price cost costs prix cout coute tarif revient
small smaller petit petite petits petites
large larger big bigger grand grande grands imposant imposants
powerful power puissant puissants puissance
cheap cheaper inexpensive affordable abordable moins cher
car cars vehicle vehicles voiture voitures vehicule vehicules modele modeles model models
battery batteries cell cells batterie cellule cellules
engine engines motor moteur moteurs motorisation motorisations thermique
joint venture jv jvs coentreprise co-entreprise
electric electrical electrique electriques
patent patents brevet brevets
listing list listed ipo stock exchange bourse cotation introduction float flotation cote cotee coter
chipmaker semiconductor semiconductors chips semi-conducteurs puces
oil petrol petrolier petroliere
spin off carve separate split scinder scission separer filialiser
follow followed later suivre suivi suivis ulterieurement
head chief director directeur directrice patron responsable
purchasing procurement buying achats
city town ville villes commune communes
mayor maire mairie
welcome welcomed welcomes hail hailed saluer salue accueillir accueilli
urban urbain urbaine urbains citadine citadines
city citadine citadines
country pays
north northern nord
today currently now presently actuellement aujourd'hui instant
future upcoming next futur future prochain prochaine
range line-up lineup gamme famille
champion championship championne champion titre
protect protection proteger
cautious careful wary watchful vigilant vigilante
agreement agreements deal contract accord accords contrat
negotiate negotiated negotiation discussion discussions negociation
travel trip attend deplacement deplacer
manage manages managed manager management run runs lead leads led diriger dirige dirigee dirigera gerer gere geree gestion piloter
programme program scheme dispositif plan
budget montant enveloppe
output capacity capacite volume production
land plot terrain parcelle brownfield friche
line lines ligne lignes
pilot trial test tests testing essai essais pilote
track tracks piste pistes circuit circuits
operate operates operated operating operator exploiter exploite exploitee exploitation exploitant
sample samples echantillon echantillons
recycle recycling recycled recycler recyclers recyclage recycleur recycleurs reuse reused reutiliser reutilise reutilisera
water eau eaux
headlamp headlamps headlight headlights phare phares projecteur projecteurs
lamp lamps light lights feu feux
front avant
rear arriere
remedy remedies remede remedes
disposal divestment divest cession cessions ceder
times fois multiple
strike strikes walkout greve greves debrayage
night nights nightly overnight nuit nuits nocturne nocturnes
shift shifts roulement
supplement supplements surcharge majoration majorations
demanding exige exiger exigeons exigent exigence exigences revendication revendications revendiquons
vote votes voted voting ballot ballots voter votants scrutin consultation referendum
turnout participation
customer customers client clients clientele
previous preceding prior precedent precedente dernier derniere
profitable profitability profit profits breakeven break-even rentable rentabilite equilibre benefice benefices
order orders ordered commande commandes commander commandee ordre ordres
already deja
turnover revenue revenues affaires
refuel refuelling refueling ravitaillement station stations
bank banks banque banques bancaire bancaires
fund funds fonds
utility utilities energeticien energeticiens electricien
chemist chemists chemical chemicals chimiste chimistes chimique chimie
waste scrap rebut rebuts dechet dechets
van vans fourgon fourgons fourgonnette fourgonnettes utilitaire utilitaires
school schools ecole ecoles lycee lycees
nursery kindergarten maternelle creche creches
neighbour neighbours neighbor neighbors riverain riverains voisin voisins voisine
grid grids reseau reseaux
connect connects connected connection hook hooked raccorder raccorde raccordee raccordement branchement
efficiency efficient rendement
peak maximum maximal maximale pointe
worksite earthworks works construction chantier chantiers travaux terrassement groundwork
begin begins start starts started commence commencer commencera debut debuter debutera demarrer demarrera demarrage
leave leaves leaving left stepping resign resigns resigned resignation depart departure quitter quitte quittera demission
voluntary voluntarily volunteer volunteers volontaire volontaires volontariat volontairement
send sends sending sent envoyer envoie envoiera envoye detacher detache detachera detaches
inhabitants residents population habitants
recover recovery recovered recuperer recuperation recupere
raise raised raising fundraising lever leve levee levees
talks negotiations pourparlers
reporters press journalists presse journalistes
delivery deliveries livraison livraisons
subsidiary filiale
headquarters head-office headquartered siege installe installee basee based base
loan loans pret prets emprunt
grant grants subsidy subsidies aide aides subvention subventions incentive incentives
closure close closes closing fermeture fermer ferme
layoffs redundancies licenciements suppressions
training instruction formation formations
replace replaced replacing change changed remplacer remplace remplacee remplacees changer changees
worker workers employee employees salarie salaries personnel
first premier premiere premiers premieres
say says said comment commented comments declare declared stated statement selon declaration declare affirme souligne explique estime
company companies firm firms entreprise entreprises societe societes firme firmes
manufacturer manufacturers carmaker carmakers automaker automakers maker makers constructeur constructeurs fabricant fabricants
hold holds held holding detenir detient detiennent detenue detenu detiendra
new nouveau nouvelle nouveaux nouvelles
software logiciel logiciels
engineer engineers ingenieur ingenieurs
recall recalls recalled rappel rappels rappeler rappele
deadline echeance
compensation damages indemnisation indemnites dommages
court tribunal tribunaux arbitration arbitrage
office offices bureau bureaux
team teams equipe equipes
japanese japonais japonaise
french francais francaise
german germany allemand allemande
chinese chinois chinoise
american americain americaine
korean coreen coreenne
italian italien italienne
spanish espagnol espagnole
british britannique
european europe europeen europeenne europeens
belgian belge
swiss suisse
dutch neerlandais neerlandaise
# months ("may" left out: an English modal far more often than a month)
january janvier
february fevrier
march mars
april avril
june juin
july juillet
august aout
september septembre
october octobre
november novembre
december decembre
commit commits committed commitment commitments engager engage engages engagee engagees engagement engagements
offer offers offered offering offrir offre offrira offriront offert offerte
average averages moyenne moyennes
swap swaps swapped swapping echange echanges echanger
"""

# General vocabulary of company and industry news (finance, people and roles, places,
# time, plans and decisions, industry and energy, problems and law), written from a
# bilingual dictionary's view of the field, not from any evaluation question.
GENERAL = """
# finance and results
earnings results resultat resultats
loss losses deficit perte pertes deficitaire
debt debts indebted dette dettes endettement
cash treasury tresorerie liquidites
dividend dividends dividende dividendes
valuation valued valorisation valorise valeur
margin margins marge marges
quarter quarterly trimestre trimestriel trimestrielle
semester semestre semestriel semestrielle
forecast forecasts outlook guidance prevision previsions perspectives
target targets objective objectives goal goals objectif objectifs cible cibles
increase increased increases rise rose risen hausse augmentation augmente augmenter progression progresse
decrease decreased decline declined fall fell fallen drop dropped baisse baisser recul recule reculer chute diminution diminue
growth grow grows grew croissance croitre
bid bids offer offers tender takeover offre offres opa
merger mergers merge merged fusion fusions fusionner
shareholding actionnariat
stock action actions titre titres
bond bonds obligation obligations
fine fines fined amende amendes
tax taxes taxation impot impots taxe fiscal fiscale
tariff tariffs customs duties douane douanes
import imports imported importer importe importation importations
export exports exported exporter exporte exportation exportations
billion billions milliard milliards
thousand thousands millier milliers mille
hundred hundreds centaine centaines
half moitie
third tiers
double doubled doubling doubler
# companies, people, roles
chairman chairwoman president presidente presidence
ceo pdg
spokesman spokeswoman spokesperson parole
hr rh drh resources ressources
permanent cdi
executive executives dirigeant dirigeants dirigeante cadre cadres
minister ministers ministre ministres ministry ministere
government governments gouvernement gouvernements
authority authorities autorite autorites
regulator regulators regulateur regulateurs
union unions syndicat syndicats syndical syndicale syndicaliste
representative representatives delegate delegates representant representants delegue deleguee delegues
analyst analysts analyste analystes
researcher researchers scientist scientists chercheur chercheurs chercheuse scientifique scientifiques
student students etudiant etudiants etudiante
apprentice apprentices apprenti apprentis apprentissage
family families famille familles familial familiale
age aged old agee
born naissance
founder founders fondateur fondateurs fondatrice cofondateur cofondatrice
rival rivals competitor competitors concurrent concurrents concurrente concurrence competition
subcontractor subcontractors traitant traitants
dealer dealers dealership dealerships concessionnaire concessionnaires concession concessions showroom showrooms
driver drivers conducteur conducteurs chauffeur chauffeurs
user users utilisateur utilisateurs usager usagers
people persons personne personnes
visitor visitors visiteur visiteurs
# places
region regions regional regionale
south southern sud
west western ouest occidental occidentale
eastern oriental orientale
centre center central centrale
border borders frontiere frontieres
coast coastal littoral
suburb suburbs banlieue
area areas zone zones secteur
port ports harbour harbor
island islands ile iles
abroad overseas foreign etranger etrangere etrangers
worldwide global mondial mondiale monde
domestic national nationale
# time
week weeks weekly semaine semaines hebdomadaire
day days daily jour jours journee quotidien quotidienne
decade decades decennie decennies
century siecle
since depuis
until jusqu jusque
end ending fin
early debut
yesterday hier
tomorrow demain
monday lundi
tuesday mardi
wednesday mercredi
thursday jeudi
friday vendredi
saturday samedi
sunday dimanche
deadline delay delays delayed postpone postponed retard retards retarde
gap gaps lag lags retard
cancel cancelled canceled annuler annule annulation
suspend suspended suspendre suspendu suspension
resume resumed reprendre reprise
complete completed finish finished achever acheve achevement terminer termine
# verbs of plans and decisions
control controls controlled master mastering controler controle maitris
expect expects expected expecting prevoit prevu prevue prevus attendu attendue
aim aims aiming viser vise visent target targets targeting targeted
hope hopes hoped esperer espere espoir
warn warned warning avertir averti alerte alerter
confirm confirmed confirmer confirme confirmation
deny denied dementir dementi
reject rejected refuse refused rejeter rejete refuser refus
approve approved approval authorise authorised authorize authorized approuver approuve autoriser autorise autorisation
decide decided decision decider
choose chosen select selected choisir choisi retenu retenue selectionne
win won gagner remporter remporte
hire hires hired recruit recruits recruited recruiting recruitment recruter recrute recrutement embaucher embauche embauches
cut cuts reduce reduced reduction reduire reduit supprimer supprime suppression
expand expanded expansion extend extended agrandir agrandissement etendre etendu extension
move moved relocate relocated relocation transfer transferred delocaliser delocalisation transferer transfere transfert deplacer
pay pays paid payment payer paye paiement verser verse versement
receive receives received recevoir recu recoit
fund funded funding finance financed financing financer financement
borrow borrowed emprunter emprunte
lend lent lending preter prete
design designed designing concevoir concu conception
assemble assembled assembly assembler assemblage
equip equipped equipment equiper equipe equipement equipera
develop developed development developper developpe developpement
improve improved improvement ameliorer ameliore amelioration
reach reached atteindre atteint
exceed exceeded surpass depasser depasse
represent represents represented representer represente
include includes included inclure inclut comprend comprendre
appoint appointed appointment nommer nomme nommee nomination
succeed succeeds succeeded successor succeder succede successeur
retire retired retirement retraite
join joined joining rejoindre rejoint arrivee
visit visited visiting visite visiter
store stored storage stocker stocke stockage
charge charging recharge recharger rechargement
drive drives driving conduire conduite
# adjectives
high higher eleve elevee eleves haut haute
low lower faible faibles bas basse
expensive costly cher chere couteux couteuse
fast faster quick quickly rapide rapidement
slow slower lent lente
main principal principale principaux
major majeur majeure
key cle
only sole seul seule unique
several various plusieurs divers
minority minoritaire
majority majoritaire
private prive privee
public publique
second deuxieme seconde
third troisieme
fourth quatrieme
fifth cinquieme
last latest dernier derniere
about around approximately roughly some environ quelque quelques
nearly almost presque pres
# industry, energy, vehicles
research recherche
technology technologies technologie technologique
skill skills competence competences
data donnees
sensor sensors capteur capteurs
screen screens ecran ecrans
steel acier
copper cuivre
iron fer
glass verre
paint painting peinture
plastic plastics plastique plastiques
materials matiere matieres materiaux
mine mines mining minier miniere extraction
refine refinery refining raffiner raffinerie raffinage
electricity electricite
fuel fuels carburant carburants combustible
coal charbon
wind eolien eolienne eoliennes
solar solaire
nuclear nucleaire
gas gaz
emission emissions
climate climat climatique
carbon carbone decarbonation decarboner
truck trucks lorry lorries camion camions
sedan saloon berline berlines
platform platforms plateforme plateformes
range autonomy autonomie
gearbox transmission boite
tyre tyres tire tires pneu pneus
brake brakes frein freins
fleet fleets flotte flottes
rental rentals location locations
warehouse warehouses entrepot entrepots
workshop workshops atelier ateliers
# problems, law, rules
problem problems issue issues probleme problemes
risk risks risque risques
crisis crises crise
war guerre
safety security securite
quality qualite
defect defects defective faulty fault faults defaut defauts defectueux defectueuse defaillant defaillante defaillance
failure failures breakdown panne pannes
repair repairs repaired reparer repare reparation reparations
refurbish refurbished refurbishing refurbishment reconditionne reconditionnee reconditionnes reconditionner reconditionnement renove renovation
used second-hand occasion
refuel refuels refuelled refuelling refueling ravitailler ravitaillement plein
doctoral doctorate phd doctorant doctorants doctorat
warranty guarantee guaranteed garantie garanties garantir garanti
promise promises promised promesse promesses promettre promis
law laws loi lois legal juridique
rule rules regle regles
regulation regulations reglementation
standard standards norme normes
lawsuit lawsuits sue sued proceedings trial proces plainte plaintes poursuite poursuites
investigation inquiry probe enquete enquetes
survey poll sondage
study studies etude etudes
interview interviews entretien entretiens
building buildings batiment batiments
saving savings economie economies economiser
black noir noire noirs noires
process processes processed processing traiter traitee traitees traitement
postpone postponed postpones pushed back repousser repousse repoussee repoussees decaler decale decalee
originally initially initialement originellement
believe believed believes croire croyait croyaient
graduate graduates graduated diplome diplomes diplomee diplomees
newspaper journal quotidien
release communique
letter lettre
reason reasons raison raisons
because parce
demand demande
shortage shortages penurie penuries
# nationalities the dev-set groups lacked
turkish turc turque turcs
polish polonais polonaise
czech tcheque tcheques
romanian roumain roumaine
slovenian slovene slovenes
slovak slovaque
hungarian hongrois hongroise
swedish suedois suedoise
norwegian norvegien norvegienne
finnish finlandais finlandaise
danish danois danoise
portuguese portugais portugaise
indian indien indienne
brazilian bresilien bresilienne
moroccan marocain marocaine
thai thailandais thailandaise
# courts and disputes
hearing hearings audience audiences
judge judges juge juges magistrat
ruling rulings verdict judgment judgement jugement arret decision
decide decides decided deciding decider decide decidee decidera decision decisions
appeal appeals appealed appel interjeter
defendant defendants defendeur defenderesse accuse
settlement settle settled
infringement infringe infringes infringed contrefacon violation
claims claimed reclame reclamer reclamation reclamations revendique revendiquer
# accounts
provision provisions provisioned provisionne provisionner
fee fees frais honoraires
writedown write-down impairment depreciation amortissement
equity capitaux propres
# boards and posts
seat seats siege sieges
observer observers observateur observatrice
# software and electronics
wiring harness cablage faisceau faisceaux
computer computers calculateur calculateurs ordinateur ordinateurs
chip chips puce puces
kernel noyau micronoyau
cybersecurity cybersecurite
remote remotely distance
datacenter datacentre
# site works
voltage tension
roof roofs rooftop toit toits toiture
exempt exempted exemption exoneration exonere exoneree
mature matures maturity echeance maturite
denomination coupure coupures
bookrunner bookrunners arrangeur arrangeurs
# projects and research
phase phases tranche tranches
lab labs laboratory laboratories laboratoire laboratoires
# vehicles: size, boot, registrations
length longueur
width largeur
height hauteur
boot trunk luggage coffre
registration registrations registered immatriculation immatriculations immatricule immatricules
# allowing, halting
allow allows allowed allowing enable enables enabled enabling permettre permet permettra permettent
halt halts halted halting stop stops stopped stopping block blocks blocked bloquer bloque bloquee bloques interrompre interrompu interrompue suspendre suspendu suspendue
road roads route routes
# shipping
ship ships shipped shipping shipment shipments expedier expedie expediee expedition acheminer achemine
# materials
metal metals metaux
tonne tonnes ton tons
# weather, real-world figures
cold froid froide froids froides
real reel reelle reels reelles
entry entree
return returns returned returning retour retours revenir reviendront reviendra
ramp-up ramp montee
seconded seconding secondment detache detaches detachee detacher detachera
"""


def groups(text: str) -> list[set[str]]:
    """The word sets of a lexicon text: one per non-comment line (a trailing ``#`` comment is dropped)."""
    out = []
    for line in text.splitlines():
        words = line.split("#", 1)[0].split()
        if words:
            out.append(set(words))
    return out


BILINGUAL_GROUPS: list[set[str]] = groups(CORE) + groups(GENERAL)
