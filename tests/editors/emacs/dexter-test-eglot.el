;;; dexter-test-eglot.el --- Dexter through eglot, in a real Emacs -*- lexical-binding: t; -*-

;;; Commentary:

;; eglot runs one server per buffer: here Dexter, with the diagnostics
;; coming from a second flymake backend and forwarded by the package.

;;; Code:

(require 'dexter-test-support)
(require 'eglot)
(require 'dexter-eglot)

(setq eglot-sync-connect 10
      eglot-autoshutdown t)

(defun dexter-test-eglot-start ()
  "Open main.py with the flymake backend and eglot; wait for Dexter."
  (dexter-eglot-setup '(python-mode))
  (dexter-test-open-python)
  (apply #'eglot (eglot--guess-contact))
  (dexter-test-wait "Dexter to start under eglot"
                    (lambda () (and (dexter-eglot-current-server)
                                    (eq dexter--client 'eglot))))
  ;; eglot adds its own flymake backend; the test backend must stay.
  (should (memq #'pyflakes-flymake flymake-diagnostic-functions))
  (flymake-start)
  (dexter-test-wait-forwarded)
  (dexter-test-goto-diagnostic))

(ert-deftest dexter-eglot/declares-the-explanation-view ()
  "The eglot server class adds the experimental capability."
  (dexter-test-eglot-start)
  (let ((capabilities (eglot-client-capabilities (dexter-eglot-current-server))))
    (should (eq t (plist-get (plist-get capabilities :experimental)
                             :dexterExplanationView)))))

(ert-deftest dexter-eglot/explain-at-point ()
  "`dexter-explain-at-point' shows the answer in the explanation buffer."
  (dexter-test-eglot-start)
  (dexter-explain-at-point)
  (let ((text (dexter-test-wait-explanation)))
    (dexter-test-should-show text "# Dexter: [pyflakes] undefined name 'nam'")
    (dexter-test-should-show text "explained by builtin/reference")
    (dexter-test-should-show text "NameError")))

(ert-deftest dexter-eglot/hover ()
  "Hover on the forwarded diagnostic answers from Dexter."
  (dexter-test-eglot-start)
  (let* ((server (dexter-eglot-current-server))
         (hover (dexter-test-wait
                 "a hover from Dexter"
                 (lambda () (jsonrpc-request server :textDocument/hover
                                             (eglot--TextDocumentPositionParams)))))
         (text (plist-get (plist-get hover :contents) :value)))
    (should (string-match-p "Dexter" text))
    (should (string-match-p "NameError" text))))

(ert-deftest dexter-eglot/action-for-a-flymake-diagnostic ()
  "eglot's code actions (empty context) include Dexter's; choosing it shows the answer."
  (dexter-test-eglot-start)
  (let* ((server (dexter-eglot-current-server))
         (actions (dexter-test-wait
                   "the Dexter code action"
                   (lambda ()
                     (cl-remove-if-not
                      (lambda (a) (string-prefix-p "Dexter: explain" (plist-get a :title)))
                      (eglot-code-actions (point) (point))))
                   10)))
    (should (= 1 (length actions)))
    ;; What eglot does when the user picks the action from its menu (from the
    ;; keyboard: a mouse event would pop up a menu instead of `completing-read').
    (let ((last-nonmenu-event ?\r))
      (cl-letf (((symbol-function 'completing-read)
                 (lambda (&rest _) (plist-get (car actions) :title))))
        (eglot--read-execute-code-action actions server)))
    (let ((text (dexter-test-wait-explanation)))
      (dexter-test-should-show text "explained by builtin/reference")
      (dexter-test-should-show text "NameError"))))

(ert-deftest dexter-eglot/streams-from-an-openai-compatible-model ()
  "Chunks from a streaming model reach the explanation buffer through eglot."
  (dexter-test-provider-settings "local/gpt-4o-mini" (getenv "DEXTER_TEST_OPENAI"))
  (dexter-test-eglot-start)
  (dexter-explain-at-point)
  (let ((text (dexter-test-wait-explanation)))
    (dexter-test-should-show text "explained by local/gpt-4o-mini")
    (dexter-test-should-show text "The name is undefined."))
  (should (>= (length dexter-test-chunks) 2))
  (should (eq (car (car dexter-test-bodies)) 'streaming)))

(ert-deftest dexter-eglot/select-model-then-explain ()
  "Model switching works the same through eglot."
  (dexter-test-provider-settings "local/gpt-4o-mini" (getenv "DEXTER_TEST_OPENAI"))
  (dexter-test-eglot-start)
  (dexter-test-wait "the endpoint's models to be discovered"
                    (lambda ()
                      (cl-some (lambda (m) (equal (dexter-get m :id) "local/tiny-coder"))
                               (dexter-get (dexter--execute-sync "dexter.listModels" nil)
                                           :models))))
  (cl-letf (((symbol-function 'completing-read) (lambda (&rest _) "local/tiny-coder")))
    (call-interactively #'dexter-select-model))
  (dexter-explain-at-point)
  (dexter-test-should-show (dexter-test-wait-explanation) "explained by local/tiny-coder"))

(provide 'dexter-test-eglot)
;;; dexter-test-eglot.el ends here
